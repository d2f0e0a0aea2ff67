"""What a public link's visitor can do: see what it opens, unlock it once per visit, browse a
folder link below its folder (never above it), and download, each download counted.

Every way a link can stop working (expired, exhausted, revoked, file or folder gone, file not
available) answers the same 404 `link_not_found`, so an outsider learns nothing from the
difference.
"""

from datetime import datetime
from typing import Any

from app import observability
from app.access import links as repo
from app.access.links import LinkRecord
from app.access.subjects import is_folder_id
from app.activity import log as activity
from app.clock import iso
from app.files import downloads
from app.files import repository as files
from app.files.repository import AVAILABLE, FileRecord
from app.pagination import InvalidCursor, decode_cursor, encode_cursor
from app.settings import get_settings
from app.shares import throttle, visits
from app.shares.errors import FileRequired, LinkNotFound, WrongLinkPassword
from app.shares.links import MAX_TOKEN_CHARS
from app.shares.public_schemas import (
    LinkDownloadUrl,
    LinkInfo,
    LinkItems,
    LinkVisit,
    PublicFile,
    PublicFileEntry,
    PublicFolder,
    PublicFolderEntry,
    PublicPathStep,
)
from app.shares.schemas import LinkType
from app.tree import access as tree_access
from app.tree import repository as tree
from app.tree.repository import FolderRecord

LINK_DOWNLOAD_TTL_SECONDS = 60  # a link's presigned URL must not outlive a minute


def _open(token: str, now: datetime) -> LinkRecord:
    link = repo.get_link(token) if len(token) <= MAX_TOKEN_CHARS else None
    if link is None or not link.usable_at(now):
        raise LinkNotFound()
    return link


def _link_file(link: LinkRecord, now: datetime) -> FileRecord:
    """A file link's file: available, not in the trash nor past its expiry, and not in a
    folder that was deleted."""
    file = files.get_file(link.file_id)
    if file is None or file.status != AVAILABLE or file.gone(now.timestamp()):
        raise LinkNotFound()
    if file.folder_id is not None and not _live(tree.get_folder(file.folder_id)):
        raise LinkNotFound()
    return file


def _live(folder: FolderRecord | None) -> bool:
    """Not deleted, and not below a deleted folder (those go at once for visitors too)."""
    return folder is not None and not folder.purging


def _link_folder(link: LinkRecord) -> FolderRecord:
    folder = tree.get_folder(link.file_id)
    if not _live(folder):
        raise LinkNotFound()
    assert folder is not None
    return folder


def _check_password(
    link: LinkRecord, password: str | None, key: str | None, *, ip: str | None, now: datetime
) -> None:
    """Pass a link without a password, a valid visit key, or the right password (throttled)."""
    if link.password_hash is None or visits.valid(key, link.token, now):
        return
    if not throttle.password_matches(
        link.password_hash, password, kind=throttle.LINK, token=link.token, ip=ip, now=now
    ):
        raise WrongLinkPassword()


def link_info(token: str, now: datetime) -> LinkInfo:
    """What a visitor sees before downloading; counts nothing. A password hides the rest."""
    link = _open(token, now)
    folder_link = is_folder_id(link.file_id)
    target = _link_folder(link) if folder_link else _link_file(link, now)
    kind: LinkType = "folder" if folder_link else "file"
    expires_at = iso(link.expires_at)
    if link.password_hash is not None:
        return LinkInfo(type=kind, expires_at=expires_at, password_protected=True)
    if isinstance(target, FolderRecord):
        return LinkInfo(
            type=kind, name=target.name, expires_at=expires_at, password_protected=False
        )
    return LinkInfo(
        type=kind,
        file_name=target.file_name,
        content_type=target.content_type,
        size=target.size,
        expires_at=expires_at,
        password_protected=False,
    )


def unlock(token: str, password: str | None, *, ip: str | None, now: datetime) -> LinkVisit:
    """Check the password once and hand out a key for the rest of the visit (counts nothing)."""
    link = _open(token, now)
    _check_password(link, password, None, ip=ip, now=now)
    key, expires_at = visits.issue(token, now), iso(link.expires_at)
    ttl = visits.KEY_TTL_SECONDS
    if is_folder_id(link.file_id):
        folder = _link_folder(link)
        return LinkVisit(
            key=key,
            expires_in=ttl,
            type="folder",
            name=folder.name,
            folder_id=folder.folder_id,
            expires_at=expires_at,
        )
    file = _link_file(link, now)
    return LinkVisit(
        key=key,
        expires_in=ttl,
        type="file",
        name=file.file_name,
        file_name=file.file_name,
        content_type=file.content_type,
        size=file.size,
        expires_at=expires_at,
    )


def _inside(link: LinkRecord, folder_id: str) -> FolderRecord:
    """A folder at or below the link's folder (404 `link_not_found` for anything else)."""
    folder = tree_access.load(folder_id)
    if not _live(folder) or folder is None or link.file_id not in folder.path_ids:
        raise LinkNotFound()
    _link_folder(link)  # the link's own folder is still there
    return folder


def _public_entry(item: dict[str, Any]) -> PublicFolderEntry | PublicFileEntry | None:
    if item["pk"]["S"].startswith("FOLDER#"):
        folder = tree.record_of(item)
        return PublicFolderEntry(folder=PublicFolder(folder_id=folder.folder_id, name=folder.name))
    file = files.record_of(item)
    if file.status != AVAILABLE:  # visitors see only files they can download
        return None
    return PublicFileEntry(
        file=PublicFile(
            file_id=file.file_id,
            file_name=file.file_name,
            content_type=file.content_type,
            size=file.size,
            uploaded_at=file.uploaded_at,
        )
    )


def items(
    token: str,
    folder_id: str | None,
    key: str | None,
    limit: int,
    cursor: str | None,
    now: datetime,
) -> LinkItems:
    """One page of a folder link's folder, or of a folder below it (never above it)."""
    link = _open(token, now)
    if not is_folder_id(link.file_id):
        raise LinkNotFound()
    if link.password_hash is not None and not visits.valid(key, token, now):
        raise WrongLinkPassword()
    folder = _link_folder(link) if folder_id in (None, link.file_id) else _inside(link, folder_id)
    partition = tree.parent_partition(folder.owner_id, folder.folder_id)
    scope = f"linkitems:{token}:{folder.folder_id}"
    try:
        page = tree.list_children(
            partition, limit, decode_cursor(cursor, scope), int(now.timestamp())
        )
    except ValueError as exc:
        raise InvalidCursor() from exc
    path_ids = folder.path_ids[folder.path_ids.index(link.file_id) : -1]
    names = tree.get_folders(path_ids)
    return LinkItems(
        items=[entry for item in page.items if (entry := _public_entry(item)) is not None],
        next_cursor=encode_cursor(page.cursor, scope),
        path=[PublicPathStep(folder_id=i, name=names[i].name) for i in path_ids if i in names],
    )


def _file_in_folder_link(link: LinkRecord, file_id: str | None, now: datetime) -> FileRecord:
    if file_id is None:
        raise FileRequired()
    file = files.get_file(file_id)
    if file is None or file.status != AVAILABLE or file.folder_id is None:
        raise LinkNotFound()
    if file.gone(now.timestamp()):
        raise LinkNotFound()
    _inside(link, file.folder_id)
    return file


def download(
    token: str,
    password: str | None,
    *,
    key: str | None = None,
    file_id: str | None = None,
    ip: str | None,
    now: datetime,
) -> LinkDownloadUrl:
    """Check the password (or the visit's key), count one download atomically, and hand out a
    short-lived URL. A folder link downloads `file_id`, a file anywhere below its folder."""
    link = _open(token, now)
    if is_folder_id(link.file_id):
        _check_password(link, password, key, ip=ip, now=now)
        file = _file_in_folder_link(link, file_id, now)
    else:
        if file_id not in (None, link.file_id):
            raise LinkNotFound()
        file = _link_file(link, now)
        _check_password(link, password, key, ip=ip, now=now)
    if repo.count_download(token, now) is None:  # lost a race for the last download
        raise LinkNotFound()
    observability.metric(observability.LINK_DOWNLOADS)
    ttl = min(LINK_DOWNLOAD_TTL_SECONDS, get_settings().download_url_ttl_seconds)
    ttl = downloads.until_expiry(file, ttl, now.timestamp())
    url = downloads.presign(file, "attachment", ttl)
    visitor = activity.Actor(link_token=token)
    activity.record(file.file_id, "link_downloaded", actor=visitor, ip=ip, at=now)
    if link.file_id != file.file_id:  # the folder's log shows downloads inside it too
        activity.record(link.file_id, "link_downloaded", actor=visitor, ip=ip, at=now)
    return LinkDownloadUrl(
        download_url=url,
        expires_in=ttl,
        file_name=file.file_name,
        content_type=file.content_type,
        size=file.size,
    )
