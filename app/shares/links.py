"""Public link rules: unguessable tokens, expiry, passwords, download limits, throttling.

Every way a link can stop working (expired, exhausted, revoked, file gone or not available)
answers the same 404 `link_not_found`, so an outsider learns nothing from the difference.
"""

import secrets
from datetime import datetime, timedelta

from app.access import limits
from app.access import links as repo
from app.access.links import LinkRecord
from app.access.subjects import Subject, is_folder_id
from app.activity import log as activity
from app.clock import iso
from app.files.errors import FileNotAvailable
from app.pagination import decode_cursor, encode_cursor
from app.request_facts import page_url
from app.shares.passwords import hash_password
from app.shares.schemas import Link, LinkCreate, LinkList

TOKEN_BYTES = 24  # 192 bits from the OS's CSPRNG
MAX_TOKEN_CHARS = 128  # ours are 32; longer ones are not worth a lookup


def to_link(record: LinkRecord, base_url: str) -> Link:
    return Link(
        token=record.token,
        type="folder" if is_folder_id(record.file_id) else "file",
        url=page_url(base_url, "s", record.token),
        expires_at=iso(record.expires_at),
        max_downloads=record.max_downloads,
        downloads=record.downloads,
        password_protected=record.password_hash is not None,
        created_at=iso(record.created_at),
    )


def create_link(
    file: Subject, body: LinkCreate, *, base_url: str, ip: str | None, now: datetime
) -> Link:
    if not file.linkable:
        raise FileNotAvailable()
    record = LinkRecord(
        token=secrets.token_urlsafe(TOKEN_BYTES),
        file_id=file.subject_id,
        owner_id=file.owner_id,
        created_at=now,
        # Whole seconds, so the stored epoch and the shown time agree on the last moment.
        expires_at=(now + timedelta(seconds=body.expires_in)).replace(microsecond=0),
        max_downloads=body.max_downloads,
        downloads=0,
        password_hash=hash_password(body.password) if body.password is not None else None,
    )
    limits.add_link(record, now)
    activity.record(
        file.subject_id,
        "link_created",
        actor=activity.user_actor(file.owner_id, link_token=record.token),
        ip=ip,
        at=now,
    )
    return to_link(record, base_url)


def list_links(file: Subject, base_url: str, limit: int, cursor: str | None) -> LinkList:
    """One page of the file's links, newest first (expired ones linger a day)."""
    scope = f"links:{file.subject_id}"
    page = repo.page_links(file.subject_id, limit, decode_cursor(cursor, scope))
    return LinkList(
        items=[to_link(record, base_url) for record in page.items],
        next_cursor=encode_cursor(page.last_key, scope),
    )


def revoke_link(file: Subject, token: str, *, ip: str | None, now: datetime) -> None:
    """Delete the link at once; a token that is not this file's is a no-op."""
    if len(token) > MAX_TOKEN_CHARS:
        return
    removed = limits.remove_link(token, file.subject_id)
    if removed is not None:
        activity.record(
            file.subject_id,
            "link_revoked",
            actor=activity.user_actor(file.owner_id, link_token=token),
            ip=ip,
            at=now,
        )
