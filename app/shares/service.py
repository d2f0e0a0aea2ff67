"""Sharing rules: who may be shared with, and the "shared with me" list.

Sync functions (boto3); routes call them through `run_blocking`. Permissions to the file
itself are settled before these run (the files domain's OwnedFile / ReadableFile).
"""

from datetime import datetime

from app import observability
from app.access import limits
from app.access import shares as repo
from app.access.shares import ShareRecord
from app.access.subjects import Subject
from app.activity import log as activity
from app.clock import iso
from app.pagination import decode_cursor, encode_cursor
from app.shares.errors import CannotShareWithSelf, UserNotFound
from app.shares.schemas import Share, ShareList
from app.users import repository as users


def to_share(record: ShareRecord) -> Share:
    return Share(user_id=record.user_id, email=record.email, shared_at=record.shared_at)


def share_file(
    file: Subject,
    *,
    email: str | None,
    user_id: str | None,
    ip: str | None,
    now: datetime,
) -> tuple[Share, bool]:
    """Share `file` with a user named by email or id; returns the share and whether it is new."""
    recipient_id = user_id if user_id is not None else users.user_id_for_email(email or "")
    if recipient_id == file.owner_id:
        raise CannotShareWithSelf()
    profile = users.get_profile(recipient_id) if recipient_id else None
    # The profile must still hold the address: a lookup older code wrote for an address that
    # was never verified resolves to no one, exactly like an unknown address.
    if profile is None or (user_id is None and profile.verified_email != (email or "").lower()):
        raise UserNotFound()
    record = ShareRecord(
        file_id=file.subject_id,
        user_id=profile.user_id,
        email=profile.email,
        owner_id=file.owner_id,
        shared_at=iso(now),
    )
    stored, created = limits.add_share(record)
    if created:
        observability.metric(observability.SHARES)
        _log_share(file, "shared", stored, ip=ip, now=now)
    return to_share(stored), created


def list_shares(file: Subject, limit: int, cursor: str | None) -> ShareList:
    """One page of who the file is shared with, in a stable order (by user id)."""
    scope = f"shares:{file.subject_id}"
    page = repo.page_shares(file.subject_id, limit, decode_cursor(cursor, scope))
    return ShareList(
        items=[to_share(record) for record in page.items],
        next_cursor=encode_cursor(page.last_key, scope),
    )


def unshare(file: Subject, user_id: str, *, ip: str | None, now: datetime) -> None:
    """Revoke a share; the recipient's next request is refused. No share is not an error."""
    removed = limits.remove_share(file.subject_id, user_id)
    if removed is not None:
        _log_share(file, "unshared", removed, ip=ip, now=now)


def _log_share(
    file: Subject, action: activity.Action, share: ShareRecord, *, ip: str | None, now: datetime
) -> None:
    """The owner's access-log entry for a share made or revoked, naming its recipient."""
    activity.record(
        file.subject_id,
        action,
        actor=activity.user_actor(file.owner_id),
        target=activity.Actor(user_id=share.user_id, email=share.email),
        ip=ip,
        at=now,
    )
