"""The administrators' rules: the user list, a user's quota and whether they may sign in.

Sync functions (boto3); routes call them through `run_blocking`.
"""

import logging
from datetime import datetime
from typing import Any

from app.admin import audit
from app.admin.errors import CannotDisableSelf
from app.admin.schemas import AdminUserPage, AdminUserUpdate, AdminUserView, UserQuota, UserUsage
from app.auth import directory
from app.auth.dependencies import revocation_store
from app.auth.errors import UserNotFound
from app.pagination import decode_cursor, encode_cursor
from app.users import index
from app.users import repository as users
from app.users.repository import Profile
from app.users.service import quota_of

log = logging.getLogger("sharebox.admin")


def view(profile: Profile) -> AdminUserView:
    return AdminUserView(
        user_id=profile.user_id,
        email=profile.email,
        name=profile.name,
        created_at=profile.created_at,
        usage=UserUsage(files=profile.file_count, bytes=profile.used_bytes),
        quota=UserQuota(bytes=quota_of(profile), custom=profile.quota_bytes is not None),
        disabled=profile.disabled,
        mfa=profile.mfa,
    )


def list_users(limit: int, cursor: str | None, query: str | None) -> AdminUserPage:
    """Users by address; `query` keeps those whose address starts with it (any case)."""
    prefix = (query or "").strip().lower()
    scope = f"admin-users:{prefix}"  # a cursor works only for the search that made it
    found = index.page(limit, decode_cursor(cursor, scope), prefix)
    return AdminUserPage(
        items=[view(profile) for profile in found.items],
        next_cursor=encode_cursor(found.last_key, scope),
    )


def get_user(user_id: str) -> AdminUserView:
    profile = users.get_profile(user_id)
    if profile is None:
        raise UserNotFound()
    return view(profile)


def _state(profile: Profile, changes: AdminUserUpdate) -> dict[str, Any]:
    """The fields `changes` asks about, as `profile` holds them (for the audit log)."""
    state: dict[str, Any] = {}
    if changes.sets_quota:
        state["quotaBytes"] = profile.quota_bytes
    if changes.disabled is not None:
        state["disabled"] = profile.disabled
    return state


def update_user(
    admin_id: str, user_id: str, changes: AdminUserUpdate, *, ip: str | None, now: datetime
) -> AdminUserView:
    """Set the user's quota and/or disable or enable them, and log it with who did it."""
    before = users.get_profile(user_id)
    if before is None:
        raise UserNotFound()
    if changes.disabled and user_id == admin_id:
        raise CannotDisableSelf()
    outcome: audit.Outcome = "failed"
    after = before
    try:
        after = _apply(user_id, changes, now)
        outcome = "done"
    finally:
        if outcome == "failed":  # what was done before the error: read it, not assume it
            after = users.get_profile(user_id) or before
        _log(admin_id, before, after, changes, outcome=outcome, ip=ip, now=now)
    return view(after)


def _apply(user_id: str, changes: AdminUserUpdate, now: datetime) -> Profile:
    after: Profile | None = None
    if changes.sets_quota:
        after = index.set_quota(user_id, changes.quota_bytes)
    if changes.disabled:
        directory.disable(user_id)  # no new log-in or refresh from now on
        directory.sign_out_everywhere(user_id)  # their refresh tokens stop
        # Their access tokens, at once: those issued up to the end of this second (a token's
        # `iat` is whole seconds; a log-in after this second is refused by Cognito).
        revocation_store().revoke_user(user_id, int(now.timestamp()) + 1)
        after = index.set_disabled(user_id, True)
    elif changes.disabled is False:
        directory.enable(user_id)
        after = index.set_disabled(user_id, False)
    if after is None:  # the profile went while we worked
        raise UserNotFound()
    return after


def _log(
    admin_id: str,
    before: Profile,
    after: Profile,
    changes: AdminUserUpdate,
    *,
    outcome: audit.Outcome,
    ip: str | None,
    now: datetime,
) -> None:
    """One audit item and one structured log line per administrator action."""
    admin = users.get_profile(admin_id)
    entry = audit.entry(
        now,
        "user_updated",
        actor=audit.Person(admin_id, admin.email if admin else None),
        target=audit.Person(before.user_id, before.email),
        before=_state(before, changes),
        after=_state(after, changes),
        outcome=outcome,
        ip=ip,
    )
    log.info(
        "admin action",
        extra={
            "adminId": admin_id,
            "action": entry.action,
            "targetId": before.user_id,
            "before": entry.before,
            "after": entry.after,
            "outcome": outcome,
            "ip": ip,
        },
    )
    audit.record(entry)
