"""Public link rules: unguessable tokens, expiry, passwords, download limits, throttling.

Every way a link can stop working (expired, exhausted, revoked, file gone or not available)
answers the same 404 `link_not_found`, so an outsider learns nothing from the difference.
"""

import secrets
from datetime import datetime, timedelta

from app import observability
from app.access import limits
from app.access import links as repo
from app.access.links import LinkRecord
from app.activity import log as activity
from app.clock import iso
from app.files import downloads
from app.files import repository as files
from app.files.errors import FileNotAvailable
from app.files.repository import AVAILABLE, FileRecord
from app.pagination import decode_cursor, encode_cursor
from app.settings import get_settings
from app.shares import throttle
from app.shares.errors import LinkNotFound, WrongLinkPassword
from app.shares.passwords import hash_password, verify_password
from app.shares.schemas import Link, LinkCreate, LinkDownloadUrl, LinkInfo, LinkList

TOKEN_BYTES = 24  # 192 bits from the OS's CSPRNG
MAX_TOKEN_CHARS = 128  # ours are 32; longer ones are not worth a lookup
LINK_DOWNLOAD_TTL_SECONDS = 60  # a link's presigned URL must not outlive a minute


def to_link(record: LinkRecord, base_url: str) -> Link:
    return Link(
        token=record.token,
        url=f"{base_url}/s/{record.token}",
        expires_at=iso(record.expires_at),
        max_downloads=record.max_downloads,
        downloads=record.downloads,
        password_protected=record.password_hash is not None,
        created_at=iso(record.created_at),
    )


def create_link(
    file: FileRecord, body: LinkCreate, *, base_url: str, ip: str | None, now: datetime
) -> Link:
    if file.status != AVAILABLE:
        raise FileNotAvailable()
    record = LinkRecord(
        token=secrets.token_urlsafe(TOKEN_BYTES),
        file_id=file.file_id,
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
        file.file_id,
        "link_created",
        actor=activity.user_actor(file.owner_id, link_token=record.token),
        ip=ip,
        at=now,
    )
    return to_link(record, base_url)


def list_links(file: FileRecord, base_url: str, limit: int, cursor: str | None) -> LinkList:
    """One page of the file's links, newest first (expired ones linger a day)."""
    scope = f"links:{file.file_id}"
    page = repo.page_links(file.file_id, limit, decode_cursor(cursor, scope))
    return LinkList(
        items=[to_link(record, base_url) for record in page.items],
        next_cursor=encode_cursor(page.last_key, scope),
    )


def revoke_link(file: FileRecord, token: str, *, ip: str | None, now: datetime) -> None:
    """Delete the link at once; a token that is not this file's is a no-op."""
    if len(token) > MAX_TOKEN_CHARS:
        return
    removed = limits.remove_link(token, file.file_id)
    if removed is not None:
        activity.record(
            file.file_id,
            "link_revoked",
            actor=activity.user_actor(file.owner_id, link_token=token),
            ip=ip,
            at=now,
        )


def _usable(token: str, now: datetime) -> tuple[LinkRecord, FileRecord]:
    link = repo.get_link(token) if len(token) <= MAX_TOKEN_CHARS else None
    if link is None or not link.usable_at(now):
        raise LinkNotFound()
    file = files.get_file(link.file_id)
    if file is None or file.status != AVAILABLE:
        raise LinkNotFound()
    return link, file


def link_info(token: str, now: datetime) -> LinkInfo:
    """What a visitor sees before downloading; counts nothing. A password hides the file."""
    link, file = _usable(token, now)
    if link.password_hash is not None:
        return LinkInfo(expires_at=iso(link.expires_at), password_protected=True)
    return LinkInfo(
        file_name=file.file_name,
        content_type=file.content_type,
        size=file.size,
        expires_at=iso(link.expires_at),
        password_protected=link.password_hash is not None,
    )


def download(token: str, password: str | None, *, ip: str | None, now: datetime) -> LinkDownloadUrl:
    """Check the password, count one download atomically, and hand out a short-lived URL."""
    link, file = _usable(token, now)
    if link.password_hash is not None:
        if password is None:  # nothing to evaluate, so nothing to count
            raise WrongLinkPassword()
        throttle.take_attempt(token, ip, now)  # counted first: parallel guesses cannot pass it
        if not verify_password(password, link.password_hash):
            raise WrongLinkPassword()
    if repo.count_download(token, now) is None:  # lost a race for the last download
        raise LinkNotFound()
    observability.metric(observability.LINK_DOWNLOADS)
    ttl = min(LINK_DOWNLOAD_TTL_SECONDS, get_settings().download_url_ttl_seconds)
    url = downloads.presign(file, "attachment", ttl)
    activity.record(
        file.file_id, "link_downloaded", actor=activity.Actor(link_token=token), ip=ip, at=now
    )
    return LinkDownloadUrl(
        download_url=url,
        expires_in=ttl,
        file_name=file.file_name,
        content_type=file.content_type,
        size=file.size,
    )
