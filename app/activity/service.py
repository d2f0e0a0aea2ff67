"""The access log's rules: what a signed-in download records, and the owner's paged view."""

from datetime import datetime

from app.activity import log
from app.activity.schemas import ActivityActor, ActivityEntry, ActivityFile, ActivityPage
from app.pagination import decode_cursor, encode_cursor


def record_download(file_id: str, viewer_id: str, *, ip: str | None, now: datetime) -> None:
    """Log a signed-in user's download (owner or recipient)."""
    log.record(file_id, "downloaded", actor=log.user_actor(viewer_id), ip=ip, at=now)


def page(file_id: str, limit: int, cursor: str | None) -> ActivityPage:
    """The file's access log, newest first."""
    scope = f"activity:{file_id}"
    entries = log.page(file_id, limit, decode_cursor(cursor, scope))
    return ActivityPage(
        items=[_entry(entry) for entry in entries.items],
        next_cursor=encode_cursor(entries.last_key, scope),
    )


def _actor(actor: log.Actor) -> ActivityActor:
    return ActivityActor(
        user_id=actor.user_id,
        email=actor.email,
        link_token=actor.link_token,
        name=actor.name,
        request_token=actor.request_token,
    )


def _entry(entry: log.Entry) -> ActivityEntry:
    return ActivityEntry(
        at=entry.at,
        action=entry.action,
        actor=_actor(entry.actor),
        target=_actor(entry.target) if entry.target else None,
        file=ActivityFile(file_id=entry.file.file_id, file_name=entry.file.file_name)
        if entry.file
        else None,
        ip=entry.ip,
    )
