"""The worker and new versions, through real-shaped SQS events: it verifies a pending version
as any upload, keeps every kept version, and thumbnails follow the current version."""

import io
from concurrent.futures import ThreadPoolExecutor

from PIL import Image

from app.aws import client as aws_client
from app.files import repository, service, storage, version_items, versions
from app.files.repository import FileRecord
from app.files.schemas import VersionCreate
from app.settings import get_settings
from app.worker.handler import handler
from tests.versions.conftest import land, stored_versions
from tests.worker.conftest import Upload, load_event, usage
from tests.worker.images import image_bytes


def _deliver(file_id: str) -> None:
    assert handler(load_event("sqs_single_upload", [file_id]), None) == {"batchItemFailures": []}


def _available(upload: Upload, data: bytes, content_type: str) -> FileRecord:
    landed = upload(data, content_type, name="file")
    _deliver(landed.file_id)
    record = repository.get_file(landed.file_id)
    assert record is not None and record.status == "available"
    return record


def _post_version(record: FileRecord, data: bytes, content_type: str, declared: int = -1) -> None:
    size = len(data) if declared < 0 else declared
    versions.create_upload(record, VersionCreate(content_type=content_type, size=size))
    land(record.file_id, data, content_type)


def _thumbnail_color(file_id: str) -> tuple[int, int, int]:
    answer = aws_client("s3").get_object(
        Bucket=get_settings().bucket_name, Key=storage.thumbnail_key(file_id)
    )
    image = Image.open(io.BytesIO(answer["Body"].read())).convert("RGB")
    pixel: tuple[int, int, int] = image.getpixel((image.width // 2, image.height // 2))
    return pixel


def test_the_worker_makes_a_verified_version_current_and_a_redelivery_changes_nothing(
    upload: Upload, owner_id: str
) -> None:
    record = _available(upload, b"hello", "text/plain")
    _post_version(record, b"hello!!", "text/plain")

    _deliver(record.file_id)

    current = repository.get_file(record.file_id)
    assert current is not None
    assert (current.size, current.version_count, current.stored_bytes) == (7, 2, 12)
    assert current.version_id != record.version_id
    assert stored_versions(record.file_id) == [current.version_id, record.version_id]
    assert [v.version_id for v in version_items.kept_versions(record.file_id)] == [
        record.version_id
    ]
    assert version_items.get_next(record.file_id) is None
    assert usage(owner_id) == (12, 1)

    _deliver(record.file_id)  # the same event once more

    assert repository.get_file(record.file_id) == current
    assert stored_versions(record.file_id) == [current.version_id, record.version_id]
    assert usage(owner_id) == (12, 1)


def test_the_worker_rejects_a_version_of_the_wrong_size_and_gives_its_bytes_back(
    upload: Upload, owner_id: str
) -> None:
    record = _available(upload, b"hello", "text/plain")
    _post_version(record, b"123456789", "text/plain", declared=7)
    assert usage(owner_id) == (12, 1)

    _deliver(record.file_id)

    assert repository.get_file(record.file_id) == record
    pending = version_items.get_next(record.file_id)
    assert pending is not None
    assert (pending.status, pending.rejection_reason) == ("rejected", "size_mismatch")
    assert stored_versions(record.file_id) == [record.version_id]
    assert usage(owner_id) == (5, 1)
    _deliver(record.file_id)
    assert usage(owner_id) == (5, 1)


def test_thumbnails_follow_the_current_version(upload: Upload) -> None:
    record = _available(upload, image_bytes("PNG", (600, 300), color="red"), "image/png")
    assert record.has_thumbnail and _thumbnail_color(record.file_id)[0] > 200
    thumbnail = storage.thumbnail_key(record.file_id)

    _post_version(record, image_bytes("PNG", (600, 300), color="blue"), "image/png")
    _deliver(record.file_id)

    blue = repository.get_file(record.file_id)
    assert blue is not None and blue.version_count == 2 and blue.has_thumbnail
    red, _green, b = _thumbnail_color(record.file_id)
    assert b > 200 and red < 60
    assert len(storage.version_ids(thumbnail)) == 1

    _post_version(blue, b"plain words", "text/plain")
    _deliver(record.file_id)

    text = repository.get_file(record.file_id)
    assert text is not None and text.content_type == "text/plain" and not text.has_thumbnail
    assert storage.version_ids(thumbnail) == []


def test_a_new_version_that_is_not_the_image_it_claims_goes_and_the_previous_is_back(
    upload: Upload, owner_id: str
) -> None:
    png = image_bytes("PNG", (600, 300))
    record = _available(upload, png, "image/png")
    _post_version(record, b"x" * 40, "image/png")

    _deliver(record.file_id)

    back = repository.get_file(record.file_id)
    assert back is not None
    assert (back.status, back.version_id, back.size) == ("available", record.version_id, len(png))
    assert (back.version_count, back.stored_bytes, back.has_thumbnail) == (1, len(png), True)
    assert version_items.kept_versions(record.file_id) == []
    assert stored_versions(record.file_id) == [record.version_id]
    assert usage(owner_id) == (len(png), 1)


def test_a_form_posted_again_leaves_no_stray_but_every_kept_version_stays(
    upload: Upload, owner_id: str
) -> None:
    record = _available(upload, b"hello", "text/plain")
    _post_version(record, b"hello!!", "text/plain")
    _deliver(record.file_id)
    kept = stored_versions(record.file_id)

    land(record.file_id, b"again!!")  # the new version's form, used once more
    _deliver(record.file_id)

    assert stored_versions(record.file_id) == kept
    current = repository.get_file(record.file_id)
    assert current is not None and current.version_id == kept[0]
    assert usage(owner_id) == (12, 1)


def test_racing_verifications_of_a_new_version_count_it_once(
    upload: Upload, owner_id: str, atomic_dynamodb: None
) -> None:
    record = _available(upload, b"hello", "text/plain")
    _post_version(record, b"hello!!", "text/plain")

    with ThreadPoolExecutor(max_workers=4) as pool:  # /complete, the worker, redeliveries
        results = list(pool.map(lambda _: service.verify_upload(record.file_id), range(4)))

    current = repository.get_file(record.file_id)
    assert current is not None and all(result == current for result in results)
    assert (current.version_count, current.stored_bytes) == (2, 12)
    assert usage(owner_id) == (12, 1)
    assert len(version_items.kept_versions(record.file_id)) == 1


def test_the_event_of_a_restores_copy_changes_nothing(upload: Upload, owner_id: str) -> None:
    record = _available(upload, b"hello", "text/plain")
    _post_version(record, b"hello!!", "text/plain")
    _deliver(record.file_id)
    promoted = repository.get_file(record.file_id)
    assert promoted is not None
    assert record.version_id is not None
    versions.restore(promoted, record.version_id)
    restored = repository.get_file(record.file_id)
    kept = stored_versions(record.file_id)

    _deliver(record.file_id)  # S3's ObjectCreated:Copy of the restore

    assert repository.get_file(record.file_id) == restored
    assert restored is not None and restored.version_count == 3 and restored.size == 5
    assert stored_versions(record.file_id) == kept and len(kept) == 3
    assert usage(owner_id) == (17, 1)
