"""Sharing rules: who may be shared with (or invited), and the "shared with me" list.

Sync functions (boto3); routes call them through `run_blocking`. Permissions to the file
itself are settled before these run (the files domain's OwnedFile / ReadableFile).
"""

from dataclasses import replace
from datetime import datetime
from typing import Literal

from app import observability
from app.access import limits
from app.access import shares as repo
from app.access.shares import ShareRecord, invitee
from app.access.subjects import Subject, is_folder_id
from app.activity import log as activity
from app.clock import iso
from app.notifications import outbox
from app.notifications.messages import Invitation, Notification, SharedWithYou
from app.pagination import decode_cursor, encode_cursor
from app.shares import throttle
from app.shares.errors import CannotShareWithSelf, TooManyInvitations, UserNotFound
from app.shares.schemas import Share, ShareList
from app.users import repository as users


def to_share(record: ShareRecord) -> Share:
    return Share(
        user_id=record.user_id or None,
        email=record.email,
        shared_at=record.shared_at,
        pending=record.pending,
    )


def share_file(
    file: Subject,
    *,
    email: str | None,
    user_id: str | None,
    ip: str | None,
    now: datetime,
) -> tuple[Share, bool]:
    """Share `file` with a user named by email or id, or invite an address that has no verified
    account yet; returns the share (`pending` for an invitation) and whether it is new."""
    record = ShareRecord(
        file_id=file.subject_id, user_id="", email="", owner_id=file.owner_id, shared_at=iso(now)
    )
    if user_id is not None:
        profile = users.get_profile(user_id)
        if profile is None:
            raise UserNotFound()
        record = replace(record, user_id=user_id, email=profile.email)
    else:
        address = (email or "").lower()
        recipient_id = users.user_id_for_email(address)
        profile = users.get_profile(recipient_id) if recipient_id else None
        # Only an address Cognito verified names a user; any other (unknown, or a lookup older
        # code wrote before verification) is invited, and delivered once it is verified.
        if profile is not None and profile.verified_email == address:
            record = replace(record, user_id=profile.user_id, email=profile.email)
        else:
            record = replace(record, email=address, pending=True)
    if record.user_id == file.owner_id:
        raise CannotShareWithSelf()
    if record.pending:
        _spend_an_invitation(record, now)
    stored, created = limits.add_share(record)
    if created:
        observability.metric(observability.SHARES)
        _log_share(file, "shared", stored, ip=ip, now=now)
        outbox.enqueue(_announcement(file, stored))
    return to_share(stored), created


# Each invitation emails an address that never asked for it: a day's worth per owner.
INVITATIONS_PER_OWNER = throttle.Limit("INVITES", 50, window_seconds=24 * 3600)


def _spend_an_invitation(invitation: ShareRecord, now: datetime) -> None:
    """Count a new invitation against its owner's daily limit (inviting again is free)."""
    if repo.get_share(invitation.file_id, invitation.member) is not None:
        return
    retry_after = throttle.count(throttle.INVITER, invitation.owner_id, INVITATIONS_PER_OWNER, now)
    if retry_after is not None:
        raise TooManyInvitations(retry_after=retry_after)


def _announcement(file: Subject, share: ShareRecord) -> Notification:
    """The email a new share (or invitation) sends its recipient."""
    kind: Literal["file", "folder"] = "folder" if is_folder_id(file.subject_id) else "file"
    if share.pending:
        return Invitation(
            email=share.email,
            owner_id=file.owner_id,
            subject_type=kind,
            subject_id=file.subject_id,
            name=file.display_name,
        )
    return SharedWithYou(
        recipient_id=share.user_id,
        owner_id=file.owner_id,
        subject_type=kind,
        subject_id=file.subject_id,
        name=file.display_name,
    )


def list_shares(file: Subject, limit: int, cursor: str | None) -> ShareList:
    """One page of who the file is shared with, in a stable order (by user id)."""
    scope = f"shares:{file.subject_id}"
    page = repo.page_shares(file.subject_id, limit, decode_cursor(cursor, scope))
    return ShareList(
        items=[to_share(record) for record in page.items],
        next_cursor=encode_cursor(page.last_key, scope),
    )


def unshare(file: Subject, user_id: str, *, ip: str | None, now: datetime) -> None:
    """Revoke a share (`user_id`), or an invitation (its email address); the recipient's next
    request is refused. No share is not an error."""
    member = invitee(user_id) if "@" in user_id else user_id
    removed = limits.remove_share(file.subject_id, member)
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
        target=activity.Actor(user_id=share.user_id or None, email=share.email),
        ip=ip,
        at=now,
    )
