"""Resumable multipart uploads: S3 holds the parts, the client asks which landed and resumes."""

import uuid
from datetime import timedelta

from app.files import service, storage
from app.files.errors import InvalidParts, NoSuchUpload, NotMultipart, UploadMissing
from app.files.repository import PENDING, FileRecord
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


def _part_urls(record: FileRecord, numbers: list[int]) -> list[PartUrl]:
    assert record.upload_id is not None
    key, ttl = storage.object_key(record.file_id), get_settings().upload_url_ttl_seconds
    size = part_size_for(record.size)
    return [
        PartUrl(
            part_number=n,
            url=storage.presign_part(
                key, record.upload_id, n, part_length(record.size, size, n), ttl
            ),
        )
        for n in numbers[:URL_BATCH]
    ]


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
    size = part_size_for(record.size)
    numbers = list(range(1, part_count(record.size, size) + 1))
    return MultipartTicket(
        file_id=record.file_id,
        upload_id=upload_id,
        part_size=size,
        parts=_part_urls(record, numbers),
        expires_in=settings.upload_url_ttl_seconds,
    )


def _open(record: FileRecord) -> str:
    if record.status != PENDING or not record.upload_id:
        raise NotMultipart()
    return record.upload_id


def status(record: FileRecord) -> MultipartStatus:
    """The parts that landed, and fresh URLs for the missing ones (how a client resumes)."""
    upload_id = _open(record)
    try:
        landed = storage.list_parts(storage.object_key(record.file_id), upload_id)
    except NoSuchUpload as exc:
        raise NotMultipart() from exc
    size = part_size_for(record.size)
    done = {part.part_number for part in landed}
    missing = [n for n in range(1, part_count(record.size, size) + 1) if n not in done]
    return MultipartStatus(
        uploaded_parts=[
            UploadedPart(part_number=p.part_number, etag=p.etag, size=p.size) for p in landed
        ],
        parts=_part_urls(record, missing),
        part_size=size,
        expires_in=get_settings().upload_url_ttl_seconds,
    )


def complete(record: FileRecord, body: MultipartComplete, viewer_id: str) -> File:
    """Assemble the parts, then verify the object exactly like a single upload."""
    upload_id = _open(record)
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
        raise NotMultipart() from exc
    verified = service.verify_upload(record.file_id)
    if verified is None or verified.status == PENDING:
        raise UploadMissing()
    return File.from_record(verified, viewer_id)


def abort(record: FileRecord) -> None:
    """Abort the S3 upload and drop the pending file, freeing its quota."""
    upload_id = _open(record)
    storage.abort_multipart(storage.object_key(record.file_id), upload_id)
    service.delete_file(record)
