"""A file's pending new version: verified as any upload, then made current (or rejected).

`service.verify_upload` (POST /complete, multipart complete) and the worker come here for an
available file; a restore comes with the version it copied. Every write is conditional on what
was read, so racing callers and redelivered events settle a version once.
"""

import logging

from app import observability
from app.clock import iso, utcnow
from app.files import repository as repo
from app.files import storage
from app.files import version_items as items
from app.files import version_transitions as moves
from app.files.errors import UploadMissing, VersionRejected
from app.files.repository import AVAILABLE, PENDING, REJECTED, FileRecord, PendingMarker
from app.files.storage import Head
from app.files.transitions import release_orphan
from app.files.version_items import MAX_VERSIONS, NextVersion
from app.stats import counters
from app.users import repository as users
from app.users.service import quota_for

log = logging.getLogger("sharebox.files")
_ATTEMPTS = 4


def verify_next(record: FileRecord) -> FileRecord | None:
    """Check what landed for the file's pending version; returns the file as it now is."""
    pending = items.get_next(record.file_id)
    if pending is None or pending.status != PENDING:
        # `record` was read before: a promotion may have landed in between (it deletes NEXT).
        return repo.get_file(record.file_id) if pending is None else record
    landed = storage.head(storage.object_key(record.file_id))
    if landed is None or landed.version_id == record.version_id:
        return record  # nothing new yet: the latest version is still the current one
    return settle(record, pending, landed)


def settle(record: FileRecord, pending: NextVersion, landed: Head) -> FileRecord:
    """Make `landed` current if it is what `pending` declared (and fits), else reject it."""
    quota = quota_for(record.owner_id)
    key = storage.object_key(record.file_id)
    current: FileRecord | None = record
    for _ in range(_ATTEMPTS):
        assert current is not None
        reason = _mismatch(pending, landed, quota)
        if reason is not None:
            if moves.reject_next(pending, reason):
                observability.metric(observability.REJECTIONS)
                if landed.version_id is not None:
                    storage.delete_version(key, landed.version_id)
                break
        elif _promote(current, pending, landed, quota):
            observability.metric(observability.UPLOADS)
            observability.metric(observability.UPLOADED_BYTES, landed.size, "Bytes")
            counters.upload_verified(utcnow())
            break
        current = repo.get_file(record.file_id)
        fresh = items.get_next(record.file_id)
        if current is None or current.status != AVAILABLE:
            return current or record
        if fresh is None or fresh.status != PENDING or fresh.next_id != pending.next_id:
            return current  # settled (or replaced) by someone else
        pending = fresh
    return repo.get_file(record.file_id) or record


def _mismatch(pending: NextVersion, landed: Head, quota: int) -> str | None:
    if landed.size != pending.size:
        return "size_mismatch"
    if landed.content_type != pending.content_type:
        return "type_mismatch"
    if not pending.reserved:  # its reservation expired: the bytes must fit again
        profile = users.get_profile(pending.owner_id)
        if (profile.used_bytes if profile else 0) + pending.size > quota:
            return "quota_exceeded"
    return None


def _promote(record: FileRecord, pending: NextVersion, landed: Head, quota: int) -> bool:
    """Promote, then delete what no longer counts: the dropped oldest version's bytes and
    the replaced version's thumbnail (those listed before the write: a thumbnail the worker
    makes of the new version afterwards stays)."""
    drop = None
    if record.version_count >= MAX_VERSIONS:
        kept = items.kept_versions(record.file_id)
        drop = kept[-1] if kept else None
    thumbnail = storage.thumbnail_key(record.file_id)
    old_thumbnails = storage.version_ids(thumbnail)
    if not moves.promote(record, pending, landed, iso(utcnow()), drop, quota):
        return False
    if drop is not None:
        storage.delete_version(storage.object_key(record.file_id), drop.version_id)
    for version_id in old_thumbnails:
        storage.delete_version(thumbnail, version_id)
    return True


def reject_current(record: FileRecord, reason: str) -> FileRecord | None:
    """Drop a current version whose bytes are not what its type claims; the newest kept version
    is current again (the file itself is rejected only when it has no other version: None)."""
    key = storage.object_key(record.file_id)
    current: FileRecord | None = record
    for _ in range(_ATTEMPTS):
        if current is None or current.version_id != record.version_id:
            return current  # dropped already (a redelivered event), or replaced meanwhile
        kept = items.kept_versions(record.file_id)
        if not kept:
            return None
        if moves.demote(current, kept[0]):
            observability.metric(observability.REJECTIONS)
            log.info(
                "upload %s: new version rejected (%s), the previous one is current again",
                record.file_id,
                reason,
                extra={"fileId": record.file_id, "rejectionReason": reason},
            )
            if record.version_id is not None:
                storage.delete_version(key, record.version_id)
            break
        current = repo.get_file(record.file_id)
    return repo.get_file(record.file_id)


def check_settled(record: FileRecord) -> None:
    """What POST /complete answers for an available file whose new version is not current."""
    pending = items.get_next(record.file_id)
    if pending is None:
        return
    if pending.status == PENDING:
        raise UploadMissing()
    if pending.status == REJECTED:
        raise VersionRejected(
            f"The new version was rejected ({pending.rejection_reason}); "
            "the current version is unchanged."
        )


def release_expired(marker: PendingMarker) -> None:
    """A pending version's upload window closed: its reservation is given back."""
    pending = items.get_next(marker.file_id)
    if pending is None or pending.next_id != marker.next_id or not pending.reserved:
        release_orphan(marker)
        return
    if moves.release_next(pending) and pending.upload_id:
        storage.abort_multipart(storage.object_key(marker.file_id), pending.upload_id)


def discard_unexpected(file_id: str) -> int:
    """Delete the versions of the file's key that nobody expects (what an old upload form
    posted again); keeps the current and every kept version, and everything while a new
    version is pending. Lists S3 before reading the items, so a version that lands after the
    listing is never judged on items read before it was expected."""
    key = storage.object_key(file_id)
    listed = storage.version_ids(key)
    pending = items.get_next(file_id)  # before the file: gone, its promotion shows there
    if not listed or (pending is not None and pending.status == PENDING):
        return 0
    record = repo.get_file(file_id)
    if record is None or record.status != AVAILABLE or record.version_id is None:
        return 0
    expected = {record.version_id} | {v.version_id for v in items.kept_versions(file_id)}
    unexpected = [version_id for version_id in listed if version_id not in expected]
    for version_id in unexpected:
        storage.delete_version(key, version_id)
    return len(unexpected)
