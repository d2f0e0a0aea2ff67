"""Cognito's side of two-factor login: the software token (TOTP) of a user, and the log-in
challenge it adds. The errors map onto the contract as the rest of app/auth/cognito.py's do."""

from app.auth.cognito import Tokens, _call, _tokens
from app.auth.errors import (
    InvalidCode,
    LoginCodeRefused,
    LoginSessionExpired,
)
from app.errors import AppError, Unauthorized
from app.settings import get_settings


def _token_refused() -> dict[str, AppError]:
    """A token Cognito itself refuses (revoked there, a deleted user): the bearer's 401."""
    return {"NotAuthorizedException": Unauthorized("Cognito refused the access token.")}


def associate_software_token(access_token: str) -> str:
    """A new TOTP secret for the caller (base32); it takes effect once a code verifies it."""
    result = _call("associate_software_token", _token_refused(), AccessToken=access_token)
    return str(result["SecretCode"])


def verify_software_token(access_token: str, code: str) -> None:
    """Cognito's own check of the first code of the secret it last associated."""
    bad_code = InvalidCode()
    result = _call(
        "verify_software_token",
        _token_refused()
        | {
            name: bad_code
            for name in (
                "CodeMismatchException",
                "EnableSoftwareTokenMFAException",
                "ExpiredCodeException",
                "InvalidParameterException",
                "SoftwareTokenMFANotFoundException",
            )
        },
        AccessToken=access_token,
        UserCode=code,
        FriendlyDeviceName="Sharebox",
    )
    if result.get("Status") != "SUCCESS":
        raise bad_code


def set_totp(access_token: str, *, enabled: bool) -> None:
    """Make TOTP the caller's (preferred) second factor, or turn it off."""
    _call(
        "set_user_mfa_preference",
        _token_refused(),
        AccessToken=access_token,
        SoftwareTokenMfaSettings={"Enabled": enabled, "PreferredMfa": enabled},
    )


def user_id(email: str) -> str:
    """The `sub` of the user `email` names, asked as the pool's administrator: the log-in
    challenge carries no user id the API could trust, and the code is checked by user."""
    result = _call("admin_get_user", {}, UserPoolId=get_settings().user_pool_id, Username=email)
    attributes = {a["Name"]: a["Value"] for a in result.get("UserAttributes", [])}
    return attributes.get("sub") or str(result["Username"])


def answer_challenge(email: str, session: str, code: str) -> Tokens:
    """Trade the log-in session and the user's code for tokens."""
    bad_code = LoginCodeRefused()
    result = _call(
        "respond_to_auth_challenge",
        {
            "CodeMismatchException": bad_code,
            "ExpiredCodeException": bad_code,  # Cognito's answer to a code used before
            # An expired session or one Cognito already took an answer for.
            "NotAuthorizedException": LoginSessionExpired(
                "This log-in session has expired or was already answered: log in again."
            ),
        },
        ClientId=get_settings().user_pool_client_id,
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=session,
        ChallengeResponses={"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": code},
    )
    return _tokens(result)
