"""Calls to the Cognito user directory, with its errors mapped onto the HTTP contract."""

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError

from app.auth.errors import (
    EmailTaken,
    InvalidCode,
    InvalidCredentials,
    PasswordTooWeak,
    UserNotConfirmed,
)
from app.aws import client
from app.errors import (
    AppError,
    AwsCall,
    Forbidden,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
)
from app.settings import get_settings

PASSWORD_POLICY = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": False,
}


@dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True)
class MfaChallenge:
    """The password was right, and Cognito wants the user's TOTP code (`session` answers it)."""

    session: str


# Cognito's limits for one user or address (attempts, codes sent): the caller must slow down.
# Its request-rate quota (TooManyRequestsException) is the service's, not the caller's: what
# the retries could not absorb is a 503 like any other dependency failure.
_PER_USER_LIMITS = {"LimitExceededException", "TooManyFailedAttemptsException"}
_THROTTLED = "TooManyRequestsException"
_FAILED = "The user directory could not handle the request."


def _cognito() -> Any:
    return client("cognito-idp")


def _call(method: str, mapping: dict[str, AppError], **kwargs: Any) -> dict[str, Any]:
    """Call Cognito; the codes in `mapping` raise their error, any other failure is a 503."""
    expected = (*mapping, *_PER_USER_LIMITS, _THROTTLED)
    try:
        with AwsCall("user directory", expected, detail=_FAILED) as call:
            result: dict[str, Any] = getattr(_cognito(), method)(**kwargs)
    except BotoCoreError as exc:
        raise ServiceUnavailable("The user directory is unreachable.") from exc
    code = call.code
    if code is None:
        return result
    if code in mapping:
        raise mapping[code] from call.refused
    if code == _THROTTLED:
        raise ServiceUnavailable("The user directory is throttling requests; retry.") from (
            call.refused
        )
    retry = TooManyRequests("Too many attempts; wait a moment and retry.", retry_after=5)
    raise retry from call.refused


def sign_up(email: str, password: str, name: str | None) -> tuple[str, bool]:
    """Create the user; returns (user id, confirmed). Local mode confirms at once."""
    settings = get_settings()
    attributes = [{"Name": "email", "Value": email}]
    if name:
        attributes.append({"Name": "name", "Value": name})
    bad_password = PasswordTooWeak()
    result = _call(
        "sign_up",
        {
            "UsernameExistsException": EmailTaken(),
            "InvalidPasswordException": bad_password,
            "InvalidParameterException": bad_password,
        },
        ClientId=settings.user_pool_client_id,
        Username=email,
        Password=password,
        UserAttributes=attributes,
    )
    confirmed = bool(result.get("UserConfirmed"))
    if settings.local_mode and not confirmed:
        _call("admin_confirm_sign_up", {}, UserPoolId=settings.user_pool_id, Username=email)
        # What confirming with the emailed code does in Cognito, and the emulator does not.
        _call(
            "admin_update_user_attributes",
            {},
            UserPoolId=settings.user_pool_id,
            Username=email,
            UserAttributes=[{"Name": "email_verified", "Value": "true"}],
        )
        confirmed = True
    return result["UserSub"], confirmed


def local_confirmation_event(email: str) -> dict[str, Any] | None:
    """The PostConfirmation event Cognito would send the trigger; None outside local mode,
    where Cognito itself invokes the trigger (the emulator has no triggers)."""
    settings = get_settings()
    if settings.local_mode:
        user = _call("admin_get_user", {}, UserPoolId=settings.user_pool_id, Username=email)
        attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
        return {
            "version": "1",
            "triggerSource": "PostConfirmation_ConfirmSignUp",
            "region": settings.aws_region,
            "userPoolId": settings.user_pool_id,
            "userName": user["Username"],
            "callerContext": {"clientId": settings.user_pool_client_id},
            "request": {"userAttributes": attributes | {"cognito:user_status": "CONFIRMED"}},
            "response": {},
        }
    return None


def confirm_sign_up(email: str, code: str) -> None:
    bad_code = InvalidCode()
    _call(
        "confirm_sign_up",
        {name: bad_code for name in (*_CODE_ERRORS, "InvalidParameterException")},
        ClientId=get_settings().user_pool_client_id,
        Username=email,
        ConfirmationCode=code,
    )


_CODE_ERRORS = (
    "CodeMismatchException",
    "ExpiredCodeException",
    "UserNotFoundException",
    "ResourceNotFoundException",
    "NotAuthorizedException",
)


def resend_code(email: str) -> None:
    """Answer the same whether or not the user exists; local sign-ups need no code."""
    settings = get_settings()
    if settings.local_mode:
        return
    try:
        _call("resend_confirmation_code", {}, ClientId=settings.user_pool_client_id, Username=email)
    except ServiceUnavailable:
        return  # unknown or already-confirmed users must look like everyone else


def log_in(email: str, password: str) -> Tokens | MfaChallenge:
    bad = InvalidCredentials()
    result = _call(
        "initiate_auth",
        {
            "NotAuthorizedException": bad,
            "UserNotFoundException": bad,
            "InvalidParameterException": bad,
            "UserNotConfirmedException": UserNotConfirmed(),
            "PasswordResetRequiredException": bad,
        },
        ClientId=get_settings().user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    if result.get("ChallengeName") == "SOFTWARE_TOKEN_MFA" and result.get("Session"):
        return MfaChallenge(session=result["Session"])
    return _tokens(result)


def refresh(refresh_token: str) -> Tokens:
    bad = Unauthorized("The refresh token is not valid.", code="invalid_token")
    result = _call(
        "initiate_auth",
        {
            name: bad
            for name in (
                "NotAuthorizedException",
                "UserNotFoundException",
                "ResourceNotFoundException",
                "InvalidParameterException",
            )
        },
        ClientId=get_settings().user_pool_client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": refresh_token},
    )
    return _tokens(result)


def _tokens(result: dict[str, Any]) -> Tokens:
    auth = result.get("AuthenticationResult")
    if not auth:  # a challenge this API does not drive (a new password, SMS, MFA setup)
        raise Forbidden(
            f"Cognito asks for {result.get('ChallengeName', 'a challenge')}; not supported here.",
            code="challenge_required",
        )
    return Tokens(
        access_token=auth["AccessToken"],
        id_token=auth["IdToken"],
        refresh_token=auth.get("RefreshToken"),
        expires_in=int(auth.get("ExpiresIn", 3600)),
    )


def forgot_password(email: str) -> None:
    """Start a reset; answers the same for unknown emails (no user enumeration)."""
    try:
        _call("forgot_password", {}, ClientId=get_settings().user_pool_client_id, Username=email)
    except ServiceUnavailable:
        return


def reset_password(email: str, code: str, new_password: str) -> None:
    bad_code = InvalidCode()
    mapping: dict[str, AppError] = {name: bad_code for name in _CODE_ERRORS}
    mapping["InvalidPasswordException"] = mapping["InvalidParameterException"] = PasswordTooWeak()
    _call(
        "confirm_forgot_password",
        mapping,
        ClientId=get_settings().user_pool_client_id,
        Username=email,
        ConfirmationCode=code,
        Password=new_password,
    )


def global_sign_out(access_token: str) -> None:
    """Stop every refresh token of the user; an already signed-out token is fine."""
    try:
        _call(
            "global_sign_out",
            {"NotAuthorizedException": Unauthorized()},
            AccessToken=access_token,
        )
    except Unauthorized:
        return


def user_attributes(access_token: str) -> dict[str, str]:
    """The user's Cognito attributes (email, email_verified...), read with their own token.

    The access token carries no email claims, so this is where `email_verified` comes from.
    """
    result = _call("get_user", {"NotAuthorizedException": Unauthorized()}, AccessToken=access_token)
    return {a["Name"]: a["Value"] for a in result.get("UserAttributes", [])}
