"""Files rules: quota reservations, upload verification, status transitions, listing, deletion.

Downloads are app/files/downloads.py; multipart uploads app/files/multipart.py.

Sync functions (boto3); routes call them through `run_blocking`, the worker calls them directly.
"""

import logging
import uuid
from dataclasses import replace
from datetime import timedelta

from app import access, observability
from app.activity import log as activity
from app.clock import iso, utcnow
from app.files import repository as repo
from app.files import requested, storage, transitions, version_checks
from app.files.errors import FileNotFound, FileTooLarge, QuotaExceeded, UploadMissing
from app.files.repository import AVAILABLE, PENDING, REJECTED, FileRecord
from app.files.requested import UploadedBy
from app.files.schemas import File, FileCreate, FilePage, FileUpdate, UploadForm, UploadTicket
from app.notifications import outbox
from app.notifications.messages import UploadRejected
from app.pagination import InvalidCursor, decode_cursor, encode_cursor
from app.retention import repository as trash
from app.settings import get_settings
from app.stats import counters
from app.tree import access as tree_access
from app.tree.errors import FolderNotFound
from app.users import repository as users
from app.users.service import quota_for

log = logging.getLogger("sharebox.files")
PENDING_LIST_GRACE = timedelta(hours=24)  # how long DynamoDB keeps an abandoned pending item
_ATTEMPTS = 4  # re-reads after losing a conditional write to a concurrent request


def sweep_expired(owner_id: str) -> None:
    """Give back the quota of pending uploads whose window closed without a verified object."""
    for marker in transitions.expired_markers(owner_id, iso(utcnow())):
        if marker.next_id is not None:  # a new version's upload
            version_checks.release_expired(marker)
            continue
        record = repo.get_file(marker.file_id)
        if record is None:
            transitions.release_orphan(marker)
        elif record.reserved and record.marker_sk == marker.sk:
            released = transitions.release(record)
            if released and record.upload_id:  # parts of an abandoned upload cost storage
                storage.abort_multipart(storage.object_key(record.file_id), record.upload_id)


def open_pending(
    owner_id: str,
    body: FileCreate,
    window: timedelta,
    *,
    file_id: str | None = None,
    upload_id: str | None = None,
    uploaded_by: UploadedBy | None = None,
) -> FileRecord:
    """Reserve the declared bytes (atomically, against the quota) and write the pending file;
    one sent through an upload request takes a place in it in the same transaction
    (`RequestClosed` when it has none)."""
    quota = quota_for(owner_id)
    if body.folder_id is not None:
        tree_access.owned(body.folder_id, owner_id)  # 404 folder_not_found
    sweep_expired(owner_id)
    if body.size > quota:
        raise QuotaExceeded()
    created, file_id = utcnow(), file_id or str(uuid.uuid4())
    expires = created + window
    record = FileRecord(
        file_id=file_id,
        owner_id=owner_id,
        file_name=body.file_name,
        content_type=body.content_type,
        size=body.size,
        status=PENDING,
        created_at=iso(created),
        upload_id=upload_id,
        expires_at=int(expires.timestamp()),
        reserved=True,
        marker_sk=repo.marker_sk(iso(expires), file_id),
        folder_id=body.folder_id,
        expiry=int(created.timestamp()) + body.expires_in if body.expires_in else None,
        uploaded_by=uploaded_by,
        sha256=body.sha256,
    )
    if not repo.create_pending(record, int((expires + PENDING_LIST_GRACE).timestamp()), quota):
        raise QuotaExceeded()
    return record


def single_upload_window(size: int, multipart_route: str) -> timedelta:
    """How long a single upload's form works; 413 over the single-upload limit."""
    settings = get_settings()
    if size > settings.single_upload_max_bytes:
        raise FileTooLarge(
            f"Single uploads are limited to {settings.single_upload_max_bytes} bytes; "
            f"use {multipart_route}."
        )
    return timedelta(seconds=settings.upload_url_ttl_seconds)


def upload_form(file_id: str, content_type: str, size: int, window: timedelta) -> UploadForm:
    """The presigned POST that can only put exactly those bytes at the file's key."""
    ttl = int(window.total_seconds())
    post = storage.presign_post(storage.object_key(file_id), content_type, size, ttl)
    return UploadForm(url=post["url"], fields=post["fields"], expires_in=ttl)


def create_upload(owner_id: str, body: FileCreate) -> UploadTicket:
    """A pending file plus the presigned POST form that can only upload exactly those bytes."""
    window = single_upload_window(body.size, "POST /files/multipart")
    record = open_pending(owner_id, body, window)
    upload = upload_form(record.file_id, record.content_type, record.size, window)
    return UploadTicket(
        file_id=record.file_id, file=File.from_record(record, owner_id), upload=upload
    )


def verify_upload(file_id: str) -> FileRecord | None:
    """Check what landed at `uploads/<fileId>` and mark the file once: available or rejected.

    Idempotent and safe to race (the route, the worker, a retry): every write is conditional
    on the status this call read, and a loser re-reads and returns the winner's result.
    Returns None for an unknown file, the pending record when nothing has landed yet.
    """
    record = repo.get_file(file_id)
    key = storage.object_key(file_id)
    if record is not None and record.status == AVAILABLE:
        return version_checks.verify_next(record)  # a new version, if one is pending
    if record is not None and record.status == REJECTED:
        storage.delete(key)  # its upload form may have been used again: keep no bytes
    if record is None or record.status != PENDING:
        return record
    landed = storage.head(key)
    if landed is None:
        return record
    reason = None
    if landed.size != record.size:
        reason = "size_mismatch"
    elif landed.content_type != record.content_type:
        reason = "type_mismatch"
    quota = quota_for(record.owner_id)
    for _ in range(_ATTEMPTS):
        if reason is None:
            stamp = iso(utcnow())
            if transitions.mark_available(
                record,
                etag=landed.etag,
                version_id=landed.version_id,
                uploaded_at=stamp,
                quota=quota,
            ):
                observability.metric(observability.UPLOADS)
                observability.metric(observability.UPLOADED_BYTES, landed.size, "Bytes")
                counters.upload_verified(utcnow())
                requested.announce(
                    record.uploaded_by,
                    owner_id=record.owner_id,
                    file_id=file_id,
                    file_name=record.file_name,
                    folder_id=record.folder_id,
                )
                break
        elif transitions.mark_rejected(record, reason):
            observability.metric(observability.REJECTIONS)
            _tell_owner_rejected(record, reason)
            storage.delete(key)
            break
        fresh = repo.get_file(file_id)
        if fresh is None or fresh.status != PENDING:
            return fresh
        if reason is None and not fresh.reserved and not _fits(fresh, quota):
            reason = "quota_exceeded"  # its reservation expired and the bytes no longer fit
        elif reason is None and not fresh.reserved and not requested.has_place(fresh.uploaded_by):
            reason = "limit_reached"  # its place went back, and its upload request is full
        record = fresh
    return repo.get_file(file_id)


def reject_content(file_id: str, reason: str) -> FileRecord | None:
    """Reject a verified file whose content is not what it declared (the worker's image check).

    Idempotent: a file already rejected only has its object deleted again; usage is given
    back once, by the transition that wins.
    """
    for _ in range(_ATTEMPTS):
        record = repo.get_file(file_id)
        if record is None or record.status == PENDING:
            return record
        won = record.status != REJECTED and transitions.mark_unusable(record, reason)
        if won:
            _tell_owner_rejected(record, reason)
        if won or record.status == REJECTED:
            repo.delete_version_items(file_id)  # every version went with it
            storage.delete(storage.object_key(file_id), storage.thumbnail_key(file_id))
            break
    return repo.get_file(file_id)


def _tell_owner_rejected(record: FileRecord, reason: str) -> None:
    """Queue the owner's email, once: only the caller whose transition won calls this. A file
    sent through an upload request was not the owner's upload (and its sender has no account):
    no email."""
    if record.uploaded_by is None:
        rejected = UploadRejected(
            owner_id=record.owner_id,
            file_id=record.file_id,
            file_name=record.file_name,
            reason=reason,
        )
        outbox.enqueue(rejected)


def _fits(record: FileRecord, quota: int) -> bool:
    profile = users.get_profile(record.owner_id)
    used = profile.used_bytes if profile else 0
    return used + record.size <= quota


def complete_upload(record: FileRecord, viewer_id: str) -> File:
    verified = verify_upload(record.file_id)
    if verified is None or verified.status == PENDING:
        raise UploadMissing()
    if verified.status == AVAILABLE:
        version_checks.check_settled(verified)  # a new version that is not current yet
    return File.from_record(verified, viewer_id)


def list_files(owner_id: str, limit: int, cursor: str | None) -> FilePage:
    scope = f"files:{owner_id}"
    start = None
    decoded = decode_cursor(cursor, scope)
    if decoded is not None:
        start = repo.start_key_for(owner_id, decoded)
        if start is None:
            raise InvalidCursor()
    # Reads only: expired pending uploads are filtered out here, and their quota is given back
    # where quota counts (a new upload's reservation, /users/me).
    records, last = repo.list_owned(owner_id, limit, start, int(utcnow().timestamp()))
    return FilePage(
        items=[File.from_record(r, owner_id) for r in records],
        next_cursor=encode_cursor(last, scope),
    )


def update_file(record: FileRecord, body: FileUpdate) -> File:
    """Rename and/or move the file (the stored object does not change)."""
    current: FileRecord | None = record
    if body.moves:
        folder = None
        if body.folder_id is not None:
            folder = tree_access.owned(body.folder_id, record.owner_id)
        if not repo.move(record, folder):
            if folder is not None and tree_access.load(folder.folder_id) is None:
                raise FolderNotFound()  # deleted meanwhile
            raise FileNotFound()
        current = replace(record, folder_id=body.folder_id)
    if body.sets_expiry and current is not None:
        current = _set_expiry(current, body.expiry)
    if body.file_name is not None:
        current = repo.rename(record.file_id, body.file_name)  # the item as it now is
    if current is None:
        raise FileNotFound()
    return File.from_record(current, record.owner_id)


def _set_expiry(record: FileRecord, expiry: int | None) -> FileRecord:
    """Set when the file goes for good (None: never), with its due entry, in one transaction."""
    current: FileRecord | None = record
    for _ in range(_ATTEMPTS):
        if current is None or current.gone(utcnow().timestamp()):
            break
        if current.expiry == expiry:
            return current
        if trash.set_expiry(current.file_id, current.expiry, expiry):
            return replace(current, expiry=expiry)
        current = repo.get_file(record.file_id)
    raise FileNotFound()


def trash_file(record: FileRecord) -> None:
    """`DELETE /files/{id}`: an available file goes to the trash (restorable until it is
    purged; its bytes still count). A pending or rejected one holds nothing worth keeping and
    goes for good at once."""
    current: FileRecord | None = record
    for _ in range(_ATTEMPTS):
        if current is None or current.gone(utcnow().timestamp()):
            raise FileNotFound()
        if current.status != AVAILABLE:
            # For good only as read: an upload that landed meanwhile goes to the trash.
            if transitions.delete(current):
                if current.upload_id:
                    storage.abort_multipart(storage.object_key(current.file_id), current.upload_id)
                delete_leftovers(current.file_id)
                return
            current = repo.get_file(record.file_id)
            continue
        now = utcnow()
        purge_at = now + timedelta(days=get_settings().trash_retention_days)
        if trash.trash(
            current.file_id,
            current.owner_id,
            now=iso(now),
            purge_at=int(purge_at.timestamp()),
            condition="#s = :available",
            values={":available": AVAILABLE},
        ):
            return
        current = repo.get_file(record.file_id)
    raise FileNotFound()


def delete_file(record: FileRecord) -> None:
    """For good: metadata (undoing its usage), every stored version, its thumbnail, and what
    other domains hold. Idempotent (purges run it again after a crash)."""
    current: FileRecord | None = record
    for _ in range(_ATTEMPTS):
        if current is None or transitions.delete(current):
            break
        current = repo.get_file(record.file_id)
    if current is not None and current.upload_id:
        storage.abort_multipart(storage.object_key(record.file_id), current.upload_id)
    delete_leftovers(record.file_id)


def delete_leftovers(file_id: str) -> None:
    """What a file leaves beside its item: its versions' items (and a new version's pending
    upload), every stored version, its thumbnail, shares, links, limit counters and log (each
    idempotent)."""
    if upload_id := repo.delete_version_items(file_id):  # a new version's, unfinished
        storage.abort_multipart(storage.object_key(file_id), upload_id)
    storage.delete(storage.object_key(file_id), storage.thumbnail_key(file_id))
    access.purge_file(file_id)  # its shares, links and limit counters
    activity.purge(file_id)


def shared_with_me(viewer_id: str, limit: int, cursor: str | None) -> FilePage:
    """Files others shared with the viewer, most recently shared first."""
    scope = f"shared:{viewer_id}"
    page = access.shares.shared_with(viewer_id, limit, decode_cursor(cursor, scope))
    # A share can outlive its file by the moment between the file's delete and its purge.
    records = repo.get_files(page.file_ids)
    now = utcnow().timestamp()
    return FilePage(
        items=[File.from_record(record, viewer_id) for record in records if not record.gone(now)],
        next_cursor=encode_cursor(page.last_key, scope),
    )
