"""What the worker does with one uploaded object: verify it, then thumbnail it if it is an image.

Every step is idempotent, so a second delivery of the same event (or the `/complete` route
racing the worker) changes nothing. Transient failures (DynamoDB, S3) raise, so only that
message is retried; a file whose bytes are not the image its type claims is rejected and the
message acknowledged, never retried.
"""

import logging
import time
from typing import Any

from app import observability
from app.aws import client
from app.files import repository, service, storage, version_checks
from app.files.repository import AVAILABLE, FileRecord
from app.settings import get_settings
from app.worker import thumbnails
from app.worker.events import CreatedObject, file_id_for_key

logger = logging.getLogger("sharebox.worker")

# Outcomes, as they appear in the log line of each object.
IGNORED = "ignored"  # not an upload key (the worker's own thumbnails, other prefixes)
UNKNOWN = "unknown_file"  # no such file (deleted, or never created by the API)
THUMBNAILED = "thumbnail_created"
SUPERSEDED = "superseded"  # another version became current while its thumbnail was made
FAILED = "failed"  # a transient error: the message will be delivered again


def process_object(obj: CreatedObject) -> str:
    """Verify one created object and make its thumbnail; returns the outcome it logged."""
    started = time.perf_counter()
    settings = get_settings()
    file_id = None
    if obj.bucket == settings.bucket_name:
        file_id = file_id_for_key(obj.key, settings.uploads_prefix)
    try:
        outcome = IGNORED if file_id is None else _process_file(file_id)
    except Exception as exc:
        _log(logging.WARNING, obj, file_id, FAILED, started, error=repr(exc))
        raise  # the message is retried, then dead-lettered
    _log(logging.INFO, obj, file_id, outcome, started)
    return outcome


def _log(
    level: int, obj: CreatedObject, file_id: str | None, outcome: str, started: float, **more: str
) -> None:
    # The extra keys are the JSON fields on Lambda; the message repeats them for local logs.
    logger.log(
        level,
        "upload %s: %s",
        file_id or obj.key,
        outcome,
        extra={
            "outcome": outcome,
            "fileId": file_id,
            "bucket": obj.bucket,
            "key": obj.key,
            "event": obj.event_name,
            "durationMs": round((time.perf_counter() - started) * 1000, 1),
            **more,
        },
    )


def _process_file(file_id: str) -> str:
    record = service.verify_upload(file_id)
    _discard_unexpected(file_id, record)
    if record is None:
        return UNKNOWN
    if record.status != AVAILABLE:
        return _status_outcome(record)
    if record.has_thumbnail or not thumbnails.can_thumbnail(record.content_type):
        return AVAILABLE
    return _thumbnail(record)


def _discard_unexpected(file_id: str, record: FileRecord | None) -> None:
    """Delete the bytes at the file's key that no file expects, so none sit outside a quota.

    Every version when there is no file (deleted, or never made by the API: an upload form
    used after its file went); of an available file, every version but its current and kept
    ones, unless a new version is pending (its form posted again). A pending file's object is
    awaited; a rejected one's verification has already deleted every version.
    """
    key = storage.object_key(file_id)
    if record is None:
        removed = storage.delete(key)
    elif record.status == AVAILABLE and record.version_id is not None:
        removed = version_checks.discard_unexpected(file_id)
    else:
        return
    if removed:
        logger.info(
            "upload %s: %d unexpected version(s) deleted",
            file_id,
            removed,
            extra={"fileId": file_id, "deletedVersions": removed},
        )


def _thumbnail(record: FileRecord) -> str:
    data = _read_upload(storage.object_key(record.file_id), record.version_id, record.size)
    if data is None:  # deleted between the verification and now
        return UNKNOWN
    try:
        if record.size > thumbnails.MAX_SOURCE_BYTES:  # too large to decode: check its magic
            if not thumbnails.has_signature(data, record.content_type):
                raise thumbnails.NotThatImage("The file does not start like its type.")
            return "available_no_thumbnail"
        thumb = thumbnails.make_thumbnail(data, record.content_type)
    except thumbnails.TooLargeToThumbnail:
        return "available_no_thumbnail"
    except thumbnails.NotThatImage:
        if record.version_count > 1:
            return _reject_version(record)
        rejected = service.reject_content(record.file_id, "type_mismatch")
        observability.metric(observability.REJECTIONS)
        return _status_outcome(rejected) if rejected else UNKNOWN
    key = storage.thumbnail_key(record.file_id)
    made = _put(key, thumb.data, thumb.content_type)
    if not repository.set_thumbnail(record.file_id, record.version_id):
        # Deleted, or another version became current meanwhile (whose own event makes its
        # thumbnail): leave no orphan.
        if made is not None and repository.get_file(record.file_id) is not None:
            storage.delete_version(key, made)
            return SUPERSEDED
        storage.delete(key)
        return UNKNOWN
    if repository.get_file(record.file_id) is None:  # deleted meanwhile: leave no orphan
        storage.delete(key)
        return UNKNOWN
    return THUMBNAILED


def _reject_version(record: FileRecord) -> str:
    """A new version that is not the image it claims goes; the previous one, current again,
    gets its thumbnail back."""
    fresh = version_checks.reject_current(record, "type_mismatch")
    if fresh is None:  # no other version after all: the file goes, as a first upload would
        rejected = service.reject_content(record.file_id, "type_mismatch")
        return _status_outcome(rejected) if rejected else UNKNOWN
    thumbnailable = thumbnails.can_thumbnail(fresh.content_type)
    if fresh.status == AVAILABLE and not fresh.has_thumbnail and thumbnailable:
        _thumbnail(fresh)
    return "version_rejected:type_mismatch"


def _status_outcome(record: FileRecord) -> str:
    if record.rejection_reason:
        return f"{record.status}:{record.rejection_reason}"
    return record.status


def _read_upload(key: str, version_id: str | None, size: int) -> bytes | None:
    """The verified version, whole if it is small enough to decode, else its first bytes."""
    params: dict[str, Any] = {"Bucket": get_settings().bucket_name, "Key": key}
    if version_id is not None:
        params["VersionId"] = version_id
    if size > thumbnails.MAX_SOURCE_BYTES:
        params["Range"] = f"bytes=0-{thumbnails.SIGNATURE_BYTES - 1}"
    with storage.call(*storage.NOT_FOUND) as read:
        answer = client("s3").get_object(**params)
        # Never more than the cap, whatever the object grew to since the HEAD.
        data: bytes = answer["Body"].read(thumbnails.MAX_SOURCE_BYTES + 1)
    return None if read.refused else data


def _put(key: str, data: bytes, content_type: str) -> str | None:
    """Store the thumbnail; returns its S3 version."""
    with storage.call():
        answer = client("s3").put_object(
            Bucket=get_settings().bucket_name,
            Key=key,
            Body=data,
            ContentType=content_type,
            CacheControl="private, max-age=86400",
        )
    version: str | None = answer.get("VersionId")
    return version
