"""An administrator's calls to the Cognito user directory, by user id (the pool's usernames
are the users' `sub`s, since sign-in is by email).

These are the only Cognito calls that need IAM: template.yaml grants exactly them, on the
pool, to the API function (each names its operation as a literal, which is how
tests/deploy/test_iam.py finds it).
"""

from typing import Any

from app.auth.cognito import _call
from app.auth.errors import UserNotFound
from app.errors import AppError
from app.settings import get_settings


def _unknown() -> dict[str, AppError]:
    return {"UserNotFoundException": UserNotFound()}


def _user(user_id: str) -> dict[str, Any]:
    return {"UserPoolId": get_settings().user_pool_id, "Username": user_id}


def disable(user_id: str) -> None:
    """Refuse the user's log-ins and refreshes from now on; idempotent."""
    _call("admin_disable_user", _unknown(), **_user(user_id))


def enable(user_id: str) -> None:
    """Let a disabled user log in again; idempotent."""
    _call("admin_enable_user", _unknown(), **_user(user_id))


def sign_out_everywhere(user_id: str) -> None:
    """Revoke the user's refresh tokens. Cognito's own APIs refuse their access tokens too,
    but a service that verifies tokens itself would not: `app.auth.revocation` refuses them
    here."""
    _call("admin_user_global_sign_out", _unknown(), **_user(user_id))
