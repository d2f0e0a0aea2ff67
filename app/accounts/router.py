"""Sign-up, confirmation, log-in (with a second factor), token refresh, password reset and
logout."""

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Header, Request, Response, status

from app.accounts import web_session
from app.accounts.schemas import (
    ConfirmRequest,
    EmailRequest,
    LoginRequest,
    LoginResponse,
    OAuth2TokenResponse,
    RefreshRequest,
    RefreshResponse,
    ResetPasswordRequest,
    SignUpRequest,
    SignUpResponse,
)
from app.auth import cognito
from app.auth.dependencies import CurrentUser, revocation_store
from app.auth.errors import MfaRequired
from app.auth.tokens import unverified_claims
from app.blocking import run_blocking
from app.clock import Clock
from app.errors import Unauthorized, problem_responses
from app.mfa import service as mfa
from app.mfa.schemas import MfaLogin, TotpChallenge
from app.routing import AppRoute
from app.users import repository as users
from app.users import service as profiles
from app.users import triggers

router = APIRouter(prefix="/auth", tags=["auth"], route_class=AppRoute)
# The routes that email a code: 202 with no body, whether or not the address has an account.
emails_a_code = partial(
    router.post,
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
    responses=problem_responses(422, 429),
)
# The routes that take an emailed code: 204, or 400 for a wrong or expired code.
takes_a_code = partial(
    router.post,
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(400, 422, 429),
)


@router.post(
    "/signup",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 409, 422, 429),
)
async def sign_up(body: SignUpRequest) -> SignUpResponse:
    """Create an account. In local mode it is confirmed at once; otherwise Cognito emails a code."""
    user_id, confirmed = await run_blocking(cognito.sign_up, body.email, body.password, body.name)
    # The profile only: sharing by email waits for the PostConfirmation trigger (app/users/
    # triggers.py), which maps the address once Cognito has verified it.
    await run_blocking(users.save_profile, user_id, body.email, body.name)
    event = await run_blocking(cognito.local_confirmation_event, body.email)
    if event is not None:  # local mode: the emulator confirmed at once but has no triggers
        await run_blocking(triggers.post_confirmation, event)
    return SignUpResponse(user_id=user_id, email=body.email, confirmed=confirmed)


@takes_a_code("/confirm")
async def confirm(body: ConfirmRequest) -> None:
    """Confirm an account with the code Cognito emailed."""
    await run_blocking(cognito.confirm_sign_up, body.email, body.code)


@emails_a_code("/resend-code")
async def resend_code(body: EmailRequest) -> None:
    """Email a new confirmation code (answers the same for unknown emails)."""
    await run_blocking(cognito.resend_code, body.email)


async def _log_in(email: str, password: str) -> cognito.Tokens | cognito.MfaChallenge:
    result = await run_blocking(cognito.log_in, email, password)
    if isinstance(result, cognito.MfaChallenge):
        return result
    return await _signed_in(result, email)


async def _signed_in(tokens: cognito.Tokens, email: str) -> cognito.Tokens:
    claims = unverified_claims(tokens.id_token)  # straight from Cognito over TLS
    sub = claims.get("sub")
    if not isinstance(sub, str):
        return tokens
    profile = await run_blocking(users.get_profile, sub)
    # Users created elsewhere get their profile here, and profiles from before lookups were
    # verified-only get theirs back, when the ID token says Cognito verified the address.
    if profile is None or profile.verified_email is None:
        verified = claims.get("email_verified") in (True, "true")
        address = claims.get("email")
        address = address if isinstance(address, str) else email
        await run_blocking(profiles.sync_profile, sub, address, verified=verified)
    return tokens


WebClient = Annotated[
    Literal["web"] | None,
    Header(
        alias=web_session.CLIENT_HEADER,
        description="`web`: keep the refresh token in an HttpOnly cookie for POST /auth/refresh "
        "instead of the body (the web page does).",
    ),
]


CsrfHeader = Annotated[
    str | None,
    Header(
        alias=web_session.CSRF_HEADER,
        description="`1`: required with the web page's session cookie (no body); "
        "a cross-site form cannot send it.",
    ),
]


@router.post("/login", responses=problem_responses(401, 403, 422, 429))
async def log_in(
    body: LoginRequest, request: Request, response: Response, clock: Clock, client: WebClient = None
) -> LoginResponse | TotpChallenge:
    """Log in with email and password; returns Cognito access, ID and refresh tokens.

    With `X-Sharebox-Client: web` the refresh token comes back as an HttpOnly, SameSite=Strict
    cookie scoped to POST /auth/refresh, and `refreshToken` is null.

    An account with two-factor login gets `{challenge: "totp", session}` instead, and no
    tokens: send the session with a code to POST /auth/login/mfa.
    """
    result = await _log_in(body.email, body.password)
    if isinstance(result, cognito.MfaChallenge):
        await run_blocking(mfa.start_login, body.email, result.session, clock())
        return TotpChallenge(session=result.session)
    return _tokens_answer(result, request, response, client)


@router.post("/login/mfa", responses=problem_responses(401, 403, 422, 429))
async def log_in_with_code(
    body: MfaLogin, request: Request, response: Response, clock: Clock, client: WebClient = None
) -> LoginResponse:
    """Finish a two-factor log-in: the `session` POST /auth/login gave, and the code your
    authenticator app shows now. Answers as POST /auth/login does (and sets the same cookie
    for `X-Sharebox-Client: web`).

    `401 invalid_code`: a wrong code, or one already used (the session stays usable for the
    next code); `401 invalid_session`: a session that is unknown, already answered, or for
    another email; `401 session_expired`: older than 3 minutes. After the last two, log in
    again. `429 too_many_attempts` past 5 codes in 5 minutes.
    """
    tokens = await run_blocking(mfa.finish_login, body.email, body.session, body.code, clock())
    return _tokens_answer(await _signed_in(tokens, body.email), request, response, client)


def _tokens_answer(
    tokens: cognito.Tokens, request: Request, response: Response, client: str | None
) -> LoginResponse:
    refresh_token = tokens.refresh_token or ""
    if client == "web":
        web_session.set_refresh_cookie(response, request, refresh_token)
    return LoginResponse(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=None if client == "web" else refresh_token,
        expires_in=tokens.expires_in,
    )


@router.post("/token", responses=problem_responses(401, 403, 422, 429))
async def oauth2_token(
    username: Annotated[str, Form(description="Your email address.")],
    password: Annotated[str, Form()],
) -> OAuth2TokenResponse:
    """OAuth2 password grant: what the docs page's Authorize button calls.

    An account with two-factor login gets `403 mfa_required`: log in with POST /auth/login and
    POST /auth/login/mfa, and paste the access token into Authorize's `BearerToken` field.
    """
    tokens = await _log_in(username, password)
    if isinstance(tokens, cognito.MfaChallenge):
        raise MfaRequired()
    return OAuth2TokenResponse(
        access_token=tokens.access_token,
        expires_in=tokens.expires_in,
        refresh_token=tokens.refresh_token,
    )


@router.post("/refresh", responses=problem_responses(401, 403, 422, 429))
async def refresh(
    request: Request, body: RefreshRequest | None = None, csrf: CsrfHeader = None
) -> RefreshResponse:
    """Trade a refresh token for new access and ID tokens.

    Send `{refreshToken}`; or, from the web page, no body, the session cookie and
    `X-Sharebox-CSRF: 1` (without that header: 403 `csrf_required`). A refused cookie is
    cleared by the 401 that refuses it.
    """
    if body is not None:
        tokens = await run_blocking(cognito.refresh, body.refresh_token)
    else:
        tokens = await _cookie_refresh(request, csrf)
    return RefreshResponse(
        access_token=tokens.access_token, id_token=tokens.id_token, expires_in=tokens.expires_in
    )


async def _cookie_refresh(request: Request, csrf: str | None) -> cognito.Tokens:
    token = web_session.cookie_token(request, csrf)
    try:
        return await run_blocking(cognito.refresh, token)
    except Unauthorized as exc:
        raise web_session.InvalidSessionCookie(request) from exc


@emails_a_code("/forgot-password")
async def forgot_password(body: EmailRequest) -> None:
    """Email a password-reset code (answers the same for unknown emails)."""
    await run_blocking(cognito.forgot_password, body.email)


@takes_a_code("/reset-password")
async def reset_password(body: ResetPasswordRequest) -> None:
    """Set a new password with the emailed reset code."""
    await run_blocking(cognito.reset_password, body.email, body.code, body.new_password)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(401),
)
async def log_out(user: CurrentUser, request: Request, response: Response) -> None:
    """Sign out everywhere: refresh tokens stop working, older access tokens are refused.

    The answer also expires the web page's session cookie.
    """
    web_session.clear_refresh_cookie(response, request)
    await run_blocking(cognito.global_sign_out, user.access_token)
    await run_blocking(revocation_store().revoke, user.claims)
