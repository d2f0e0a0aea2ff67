"""File versions: upload a new one, list, download, restore and delete older ones (API.md v2,
"Trash, versions and expiry"). Built on the bucket's S3 versioning: every version is an S3
version of `uploads/<fileId>`; the file's item names the current one, version items the others
(app/files/version_items.py). Verification of a new version: app/files/version_checks.py.
"""

import uuid
from dataclasses import replace
from datetime import timedelta

from app.clock import iso, utcnow
from app.errors import ServiceUnavailable
from app.files import downloads, multipart, service, storage, version_checks
from app.files import repository as repo
from app.files import version_items as items
from app.files import version_transitions as moves
from app.files.errors import (
    CurrentVersion,
    FileNotAvailable,
    FileNotFound,
    FileTooLarge,
    QuotaExceeded,
    VersionNotFound,
)
from app.files.repository import AVAILABLE, PENDING, FileRecord
from app.files.schemas import (
    DownloadUrl,
    File,
    MultipartTicket,
    UploadTicket,
    Version,
    VersionCreate,
    VersionList,
)
from app.files.version_items import NULL_VERSION, KeptVersion, NextVersion
from app.files.version_transitions import Opened
from app.settings import get_settings
from app.users.service import quota_for

_ATTEMPTS = 4


def _open_next(
    record: FileRecord,
    size: int,
    content_type: str,
    window: timedelta,
    upload_id: str | None = None,
    sha256: str | None = None,
) -> NextVersion:
    """Reserve the new version's bytes (atomically, against the quota) and write it pending,
    in place of a pending version that was never finished."""
    if record.status != AVAILABLE:
        raise FileNotAvailable()
    # What already landed for a pending version is settled first, not judged against this one.
    settled = version_checks.verify_next(record)
    if settled is None:
        raise FileNotFound()
    record = settled
    quota = quota_for(record.owner_id)
    service.sweep_expired(record.owner_id)
    if size > quota:
        raise QuotaExceeded()
    for _ in range(_ATTEMPTS):
        created, next_id = utcnow(), uuid.uuid4().hex
        expires = created + window
        pending = NextVersion(
            file_id=record.file_id,
            owner_id=record.owner_id,
            next_id=next_id,
            size=size,
            content_type=content_type,
            status=PENDING,
            created_at=iso(created),
            expires_at=int(expires.timestamp()),
            marker_sk=repo.marker_sk(iso(expires), f"{record.file_id}#{next_id}"),
            upload_id=upload_id,
            sha256=sha256,
        )
        replacing = items.get_next(record.file_id)
        ttl = int((expires + service.PENDING_LIST_GRACE).timestamp())
        opened = moves.open_next(record, pending, replacing, ttl, quota)
        if opened is Opened.OPENED:
            if replacing is not None and replacing.upload_id and replacing.status == PENDING:
                key = storage.object_key(record.file_id)
                storage.abort_multipart(key, replacing.upload_id)
            return pending
        if opened is Opened.OVER_QUOTA:
            raise QuotaExceeded()
        if opened is Opened.FILE_CHANGED:
            fresh = repo.get_file(record.file_id)
            if fresh is None:
                raise FileNotFound()
            if fresh.status != AVAILABLE:
                raise FileNotAvailable()
    raise ServiceUnavailable("Other uploads of this file kept changing it; retry.")


def create_upload(record: FileRecord, body: VersionCreate) -> UploadTicket:
    """A presigned POST for exactly the declared bytes, to the file's own key: a new S3
    version that becomes current once verified."""
    window = service.single_upload_window(body.size, "POST /files/{fileId}/versions/multipart")
    _open_next(record, body.size, body.content_type, window, sha256=body.sha256)
    upload = service.upload_form(record.file_id, body.content_type, body.size, window)
    return UploadTicket(
        file_id=record.file_id, file=File.from_record(record, record.owner_id), upload=upload
    )


def start_multipart(record: FileRecord, body: VersionCreate) -> MultipartTicket:
    """Open an S3 multipart upload to the file's key and reserve its bytes."""
    if record.status != AVAILABLE:
        raise FileNotAvailable()
    window = timedelta(seconds=get_settings().multipart_upload_ttl_seconds)
    key = storage.object_key(record.file_id)
    upload_id = storage.create_multipart(key, body.content_type)
    try:
        _open_next(record, body.size, body.content_type, window, upload_id, body.sha256)
    except Exception:
        storage.abort_multipart(key, upload_id)
        raise
    return multipart.ticket(record.file_id, upload_id, body.size)


def list_versions(record: FileRecord) -> VersionList:
    """The current version, then the kept ones, newest first (the file's item and one Query)."""
    if record.status != AVAILABLE:
        return VersionList(items=[])
    versions = [items.current_version(record), *items.kept_versions(record.file_id)]
    return VersionList(
        items=[
            Version(
                version_id=v.version_id,
                size=v.size,
                content_type=v.content_type,
                uploaded_at=v.uploaded_at,
                current=n == 0,
                sha256=v.sha256,
            )
            for n, v in enumerate(versions)
        ]
    )


def _kept(record: FileRecord, version_id: str) -> KeptVersion:
    if record.status == AVAILABLE:
        for version in items.kept_versions(record.file_id):
            if version.version_id == version_id:
                return version
    raise VersionNotFound()


def _is_current(record: FileRecord, version_id: str) -> bool:
    return record.status == AVAILABLE and version_id == (record.version_id or NULL_VERSION)


def download_url(
    record: FileRecord, version_id: str, disposition: str, ip: str | None
) -> DownloadUrl:
    """A short-lived URL for one version's bytes, served by the same rules as the file's."""
    if not _is_current(record, version_id):
        version = _kept(record, version_id)
        record = replace(
            record,
            version_id=version.version_id,
            content_type=version.content_type,
            size=version.size,
        )
    return downloads.download_url(record, record.owner_id, disposition, ip)


def restore(record: FileRecord, version_id: str) -> File:
    """A server-side copy of an older version becomes the current version; the version it
    replaces is kept (the oldest is dropped when 20 are kept). Its bytes count again."""
    if _is_current(record, version_id):
        return File.from_record(record, record.owner_id)
    version = _kept(record, version_id)
    if version.size > storage.COPY_MAX_BYTES:
        raise FileTooLarge(
            f"Versions over {storage.COPY_MAX_BYTES} bytes cannot be restored; "
            "download it and upload it as a new version."
        )
    window = timedelta(seconds=get_settings().upload_url_ttl_seconds)
    pending = _open_next(record, version.size, version.content_type, window, sha256=version.sha256)
    key = storage.object_key(record.file_id)
    try:
        landed = storage.copy_version(key, version.version_id, version.size, version.content_type)
    except Exception:
        moves.discard_next(pending)
        raise
    current = repo.get_file(record.file_id)
    if current is None:
        raise FileNotFound()
    settled = version_checks.settle(current, pending, landed)
    return File.from_record(settled, record.owner_id)


def delete_version(record: FileRecord, version_id: str) -> None:
    """Delete an older version: its item, its S3 version; its bytes stop counting."""
    if _is_current(record, version_id):
        raise CurrentVersion()
    for _ in range(_ATTEMPTS):
        version = _kept(record, version_id)
        if moves.drop_kept(record, version):
            storage.delete_version(storage.object_key(record.file_id), version.version_id)
            return
        fresh = repo.get_file(record.file_id)
        if fresh is None:
            raise FileNotFound()
        record = fresh
        if _is_current(record, version_id):
            raise CurrentVersion()
    raise VersionNotFound()
