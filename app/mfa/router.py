"""Turning two-factor (TOTP) login on and off: /auth/mfa/*."""

from typing import Any

from fastapi import APIRouter, Response, status

from app.auth.dependencies import CurrentUser
from app.blocking import run_blocking
from app.clock import Clock
from app.errors import problem_responses
from app.mfa import service
from app.mfa.schemas import MfaCode, MfaSetup
from app.routing import AppRoute

router = APIRouter(prefix="/auth/mfa", tags=["auth"], route_class=AppRoute)
# The routes that take a code: 204, or 400 for a wrong or used one.
_TAKES_A_CODE: dict[str, Any] = {
    "status_code": status.HTTP_204_NO_CONTENT,
    "response_class": Response,
    "responses": problem_responses(400, 401, 409, 429),
}


@router.post("/setup", responses=problem_responses(401, 409, 429))
async def set_up(user: CurrentUser, response: Response, clock: Clock) -> MfaSetup:
    """Start two-factor login: a new secret for your authenticator app, as text and as an
    `otpauth://` URI (show it as a QR code). Nothing changes until a code from the app enables
    it (POST /auth/mfa/enable); setting up again replaces a secret not yet enabled.

    `409 mfa_already_enabled` while two-factor login is on.
    """
    setup = await run_blocking(service.set_up, user.id, user.access_token, clock())
    response.headers["Cache-Control"] = "no-store"  # a secret: never kept by a cache
    return MfaSetup(secret=setup.secret, otpauth_uri=setup.otpauth_uri)


@router.post("/enable", **_TAKES_A_CODE)
async def enable(body: MfaCode, user: CurrentUser, clock: Clock) -> None:
    """Turn two-factor login on with a current code of the secret set up: from then on,
    logging in takes a code too.

    `400 invalid_code` for a wrong code or one already used; `409 mfa_not_set_up` before any
    setup; `429 too_many_attempts` past 5 codes in 5 minutes (log-in codes count too).
    """
    await run_blocking(service.enable, user.id, user.access_token, body.code, clock())


@router.delete("", **_TAKES_A_CODE)
async def disable(body: MfaCode, user: CurrentUser, clock: Clock) -> None:
    """Turn two-factor login off, with a current code; the secret is forgotten.

    `400 invalid_code` for a wrong code or one already used; `409 mfa_not_enabled` when it is
    not on; `429 too_many_attempts` past 5 codes in 5 minutes.
    """
    await run_blocking(service.disable, user.id, user.access_token, body.code, clock())
