"""Resumable multipart uploads: S3 holds the parts, the client asks which landed and resumes."""

import uuid
from datetime import timedelta

from app.files import service, storage, version_items, version_transitions
from app.files.errors import InvalidParts, NoSuchUpload, NotMultipart, UploadMissing
from app.files.repository import AVAILABLE, PENDING, FileRecord
from app.files.schemas import (
    MAX_PARTS,
    MIB,
    MIN_PART_BYTES,
    File,
    FileCreate,
    MultipartComplete,
    MultipartStatus,
    MultipartTicket,
    PartUrl,
    UploadedPart,
)
from app.settings import get_settings

URL_BATCH = 500  # part URLs per answer; GET /files/{id}/multipart hands out the next ones


def part_size_for(size: int) -> int:
    """The smallest whole-MiB part size, at least S3's 5 MiB, that needs <= 10,000 parts."""
    needed = -(-size // MAX_PARTS)
    return max(MIN_PART_BYTES, -(-needed // MIB) * MIB)


def part_count(size: int, part_size: int) -> int:
    return max(1, -(-size // part_size))


def part_length(size: int, part_size: int, number: int) -> int:
    """The bytes of part `number` (1-based): `part_size`, but the last part holds the rest."""
    return min(part_size, size - (number - 1) * part_size)


def _part_urls(file_id: str, upload_id: str, size: int, numbers: list[int]) -> list[PartUrl]:
    key, ttl = storage.object_key(file_id), get_settings().upload_url_ttl_seconds
    part_size = part_size_for(size)
    return [
        PartUrl(
            part_number=n,
            url=storage.presign_part(key, upload_id, n, part_length(size, part_size, n), ttl),
        )
        for n in numbers[:URL_BATCH]
    ]


def ticket(file_id: str, upload_id: str, size: int) -> MultipartTicket:
    """What a started upload answers: its part size and the first batch of part URLs."""
    part_size = part_size_for(size)
    numbers = list(range(1, part_count(size, part_size) + 1))
    return MultipartTicket(
        file_id=file_id,
        upload_id=upload_id,
        part_size=part_size,
        parts=_part_urls(file_id, upload_id, size, numbers),
        expires_in=get_settings().upload_url_ttl_seconds,
    )


def start(owner_id: str, body: FileCreate) -> MultipartTicket:
    """Reserve the quota, open the S3 multipart upload and presign the first parts."""
    settings = get_settings()
    window = timedelta(seconds=settings.multipart_upload_ttl_seconds)
    file_id = str(uuid.uuid4())
    key = storage.object_key(file_id)
    upload_id = storage.create_multipart(key, body.content_type)
    try:
        record = service.open_pending(owner_id, body, window, file_id=file_id, upload_id=upload_id)
    except Exception:
        storage.abort_multipart(key, upload_id)
        raise
    return ticket(record.file_id, upload_id, record.size)


def _open(record: FileRecord) -> tuple[str, int]:
    """The open multipart upload (id, declared size): the pending file's, or the pending new
    version's of an available file."""
    if record.status == PENDING and record.upload_id:
        return record.upload_id, record.size
    if record.status == AVAILABLE:
        pending = version_items.get_next(record.file_id)
        if pending is not None and pending.status == PENDING and pending.upload_id:
            return pending.upload_id, pending.size
    raise NotMultipart()


def status(record: FileRecord) -> MultipartStatus:
    """The parts that landed, and fresh URLs for the missing ones (how a client resumes)."""
    upload_id, declared = _open(record)
    try:
        landed = storage.list_parts(storage.object_key(record.file_id), upload_id)
    except NoSuchUpload as exc:
        raise NotMultipart() from exc
    size = part_size_for(declared)
    done = {part.part_number for part in landed}
    missing = [n for n in range(1, part_count(declared, size) + 1) if n not in done]
    return MultipartStatus(
        uploaded_parts=[
            UploadedPart(part_number=p.part_number, etag=p.etag, size=p.size) for p in landed
        ],
        parts=_part_urls(record.file_id, upload_id, declared, missing),
        part_size=size,
        expires_in=get_settings().upload_url_ttl_seconds,
    )


def complete(record: FileRecord, body: MultipartComplete, viewer_id: str) -> File:
    """Assemble the parts, then verify the object exactly like a single upload.

    Idempotent: an upload S3 no longer knows may be one an earlier attempt completed (its
    answer lost, or the request out of time before verifying), so what landed is verified.
    """
    upload_id, _ = _open(record)
    numbers = [part.part_number for part in body.parts]
    if numbers != sorted(set(numbers)):
        raise InvalidParts("Parts must be listed once each, in ascending order.")
    try:
        storage.complete_multipart(
            storage.object_key(record.file_id),
            upload_id,
            [(part.part_number, part.etag) for part in body.parts],
        )
    except NoSuchUpload as exc:
        try:
            return service.complete_upload(record, viewer_id)
        except UploadMissing:  # nothing landed: aborted, or expired
            raise NotMultipart() from exc
    return service.complete_upload(record, viewer_id)


def abort(record: FileRecord) -> None:
    """Abort the S3 upload and drop the pending file (or pending new version), freeing its
    quota."""
    upload_id, _ = _open(record)
    storage.abort_multipart(storage.object_key(record.file_id), upload_id)
    if record.status == PENDING:
        service.delete_file(record)
        return
    pending = version_items.get_next(record.file_id)
    if pending is not None and pending.upload_id == upload_id:
        version_transitions.discard_next(pending)
