"""The worker Lambda on real-shaped SQS events, against the session's moto world."""

import io
import logging

import boto3
import pytest
from PIL import Image

from app.errors import ServiceUnavailable
from app.files import downloads, repository, service
from app.local.bootstrap import LocalResources
from app.worker import processing
from app.worker.handler import handler
from tests.worker.conftest import Upload, load_event, message_ids, usage, with_body
from tests.worker.images import image_bytes, sideways_jpeg


@pytest.fixture
def s3(aws: LocalResources) -> object:
    return boto3.client("s3", region_name="us-east-1")


def logged_outcomes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.outcome for r in caplog.records if hasattr(r, "outcome")]  # type: ignore[attr-defined]


def object_exists(s3, bucket: str, key: str) -> bool:  # type: ignore[no-untyped-def]
    return "Contents" in s3.list_objects_v2(Bucket=bucket, Prefix=key)


def test_single_upload_becomes_available_with_an_upright_thumbnail(
    upload: Upload, s3, aws: LocalResources, owner_id: str
) -> None:
    data = sideways_jpeg()
    landed = upload(data, "image/jpeg", name="sideways.jpg")
    event = load_event("sqs_single_upload", [landed.file_id])

    assert handler(event, None) == {"batchItemFailures": []}

    record = repository.get_file(landed.file_id)
    assert record is not None
    assert (record.status, record.has_thumbnail, record.size) == ("available", True, len(data))
    assert record.uploaded_at and record.etag
    thumb = s3.get_object(Bucket=aws.bucket_name, Key=f"thumbnails/{landed.file_id}.jpg")
    assert thumb["ContentType"] == "image/jpeg"
    image = Image.open(io.BytesIO(thumb["Body"].read()))
    assert (image.format, image.size) == ("JPEG", (128, 256))
    assert usage(owner_id) == (len(data), 1)


def test_thumbnail_url_is_served_once_the_worker_made_it(upload: Upload) -> None:
    landed = upload(image_bytes("PNG", (600, 300)))
    handler(load_event("sqs_single_upload", [landed.file_id]), None)

    record = repository.get_file(landed.file_id)
    assert record is not None
    url = downloads.thumbnail_url(record)
    assert f"thumbnails/{landed.file_id}.jpg" in url.thumbnail_url
    assert url.expires_in > 0


def test_batch_of_three_uploads_is_processed_in_one_call(
    upload: Upload, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sharebox.worker")
    files = [
        upload(image_bytes("PNG"), "image/png"),
        upload(b"%PDF-1.7 a small document", "application/pdf", name="doc.pdf"),
        upload(image_bytes("GIF"), "image/gif", name="anim.gif"),
    ]
    event = load_event("sqs_batch_uploads", [f.file_id for f in files])

    assert handler(event, None) == {"batchItemFailures": []}

    records = [repository.get_file(f.file_id) for f in files]
    assert [(r.status, r.has_thumbnail) for r in records if r] == [
        ("available", True),
        ("available", False),
        ("available", True),
    ]
    assert logged_outcomes(caplog) == ["thumbnail_created", "available", "thumbnail_created"]


def test_s3_test_event_is_acknowledged_and_touches_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="sharebox.worker")

    assert handler(load_event("sqs_s3_test_event"), None) == {"batchItemFailures": []}
    assert logged_outcomes(caplog) == []


def test_url_encoded_key_of_no_known_file_is_acknowledged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="sharebox.worker")

    assert handler(load_event("sqs_encoded_key"), None) == {"batchItemFailures": []}
    [line] = [r for r in caplog.records if hasattr(r, "outcome")]
    assert (line.outcome, line.key) == ("unknown_file", "uploads/café + friends 2026.jpg")  # type: ignore[attr-defined]


def test_duplicate_delivery_is_processed_once(
    upload: Upload, owner_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sharebox.worker")
    data = image_bytes("PNG")
    landed = upload(data)
    event = load_event("sqs_single_upload", [landed.file_id])

    first, second = handler(event, None), handler(event, None)

    assert first == second == {"batchItemFailures": []}
    assert logged_outcomes(caplog) == ["thumbnail_created", "available"]
    assert usage(owner_id) == (len(data), 1)


def test_complete_route_then_worker_counts_the_file_once(upload: Upload, owner_id: str) -> None:
    data = image_bytes("JPEG")
    landed = upload(data, "image/jpeg")
    service.verify_upload(landed.file_id)  # what POST /files/{id}/complete does

    assert handler(load_event("sqs_single_upload", [landed.file_id]), None) == {
        "batchItemFailures": []
    }
    record = repository.get_file(landed.file_id)
    assert record is not None and (record.status, record.has_thumbnail) == ("available", True)
    assert usage(owner_id) == (len(data), 1)


def test_a_transient_failure_reports_exactly_that_message(
    upload: Upload, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sharebox.worker")
    files = [upload(image_bytes("PNG")) for _ in range(3)]
    event = load_event("sqs_batch_uploads", [f.file_id for f in files])
    verify = service.verify_upload

    def flaky(file_id: str):  # type: ignore[no-untyped-def]
        if file_id == files[1].file_id:
            raise ServiceUnavailable("The metadata store failed: ProvisionedThroughputExceeded.")
        return verify(file_id)

    monkeypatch.setattr(processing.service, "verify_upload", flaky)

    answer = handler(event, None)

    assert answer == {"batchItemFailures": [{"itemIdentifier": message_ids(event)[1]}]}
    assert logged_outcomes(caplog) == ["thumbnail_created", "failed", "thumbnail_created"]
    statuses = [r.status for r in map(repository.get_file, (f.file_id for f in files)) if r]
    assert statuses == ["available", "pending", "available"]


def test_every_failing_message_is_reported_when_the_whole_batch_fails(
    upload: Upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = load_event("sqs_batch_uploads", [upload(image_bytes("PNG")).file_id for _ in range(3)])

    def down(file_id: str) -> None:
        raise ServiceUnavailable("The metadata store failed: InternalServerError.")

    monkeypatch.setattr(processing.service, "verify_upload", down)

    answer = handler(event, None)

    assert answer == {"batchItemFailures": [{"itemIdentifier": i} for i in message_ids(event)]}


def test_a_malformed_message_fails_alone_so_it_reaches_the_dead_letter_queue(
    upload: Upload,
) -> None:
    files = [upload(image_bytes("PNG")) for _ in range(3)]
    event = with_body(
        load_event("sqs_batch_uploads", [f.file_id for f in files]), 0, "this is not json"
    )

    answer = handler(event, None)

    assert answer == {"batchItemFailures": [{"itemIdentifier": message_ids(event)[0]}]}


def test_size_lie_is_rejected_its_object_deleted_and_its_quota_released(
    upload: Upload, owner_id: str, s3, aws: LocalResources
) -> None:
    landed = upload(image_bytes("PNG"), declared_size=10_000)

    assert handler(load_event("sqs_single_upload", [landed.file_id]), None) == {
        "batchItemFailures": []
    }

    record = repository.get_file(landed.file_id)
    assert record is not None
    assert (record.status, record.rejection_reason) == ("rejected", "size_mismatch")
    assert not object_exists(s3, aws.bucket_name, f"uploads/{landed.file_id}")
    assert usage(owner_id) == (0, 0)


def test_fake_image_is_rejected_as_type_mismatch_and_acknowledged(
    upload: Upload, owner_id: str, s3, aws: LocalResources, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sharebox.worker")
    landed = upload(b"these bytes are not a PNG, whatever the name says", name="fake.png")
    event = load_event("sqs_single_upload", [landed.file_id])

    assert handler(event, None) == {"batchItemFailures": []}
    assert handler(event, None) == {"batchItemFailures": []}  # redelivered: still acknowledged

    record = repository.get_file(landed.file_id)
    assert record is not None
    assert (record.status, record.rejection_reason) == ("rejected", "type_mismatch")
    assert record.has_thumbnail is False
    assert not object_exists(s3, aws.bucket_name, f"uploads/{landed.file_id}")
    assert not object_exists(s3, aws.bucket_name, f"thumbnails/{landed.file_id}.jpg")
    assert usage(owner_id) == (0, 0)
    assert logged_outcomes(caplog) == ["rejected:type_mismatch", "rejected:type_mismatch"]


def test_fake_image_does_not_stop_the_rest_of_its_batch(upload: Upload) -> None:
    files = [
        upload(image_bytes("PNG")),
        upload(b"garbage", name="garbage.png"),
        upload(image_bytes("JPEG"), "image/jpeg", name="ok.jpg"),
    ]
    event = load_event("sqs_batch_uploads", [f.file_id for f in files])

    assert handler(event, None) == {"batchItemFailures": []}

    records = [repository.get_file(f.file_id) for f in files]
    assert [r.status for r in records if r] == ["available", "rejected", "available"]


def test_the_workers_own_thumbnails_never_trigger_it(
    upload: Upload, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sharebox.worker")
    event = load_event("sqs_single_upload")
    event["Records"][0]["body"] = event["Records"][0]["body"].replace(
        "uploads/3f0c9a4e", "thumbnails/3f0c9a4e"
    )

    assert handler(event, None) == {"batchItemFailures": []}
    assert logged_outcomes(caplog) == ["ignored"]


def test_file_deleted_while_its_thumbnail_was_made_leaves_no_thumbnail_behind(
    upload: Upload, s3, aws: LocalResources, monkeypatch: pytest.MonkeyPatch
) -> None:
    landed = upload(image_bytes("PNG"))
    set_thumbnail = repository.set_thumbnail

    def owner_deletes_first(file_id: str, version_id: str | None = None) -> bool:
        record = repository.get_file(file_id)
        assert record is not None
        service.delete_file(record)  # DELETE /files/{fileId} lands between the put and the flag
        return set_thumbnail(file_id, version_id)

    monkeypatch.setattr(processing.repository, "set_thumbnail", owner_deletes_first)

    assert handler(load_event("sqs_single_upload", [landed.file_id]), None) == {
        "batchItemFailures": []
    }
    assert repository.get_file(landed.file_id) is None
    assert not object_exists(s3, aws.bucket_name, f"thumbnails/{landed.file_id}.jpg")
