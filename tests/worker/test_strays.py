"""Bytes no file expects: an upload form used again after its file was deleted or verified.

A presigned POST works until it expires, so the same form can land more objects (in a
versioned bucket, more versions) at `uploads/<fileId>`. The worker, on the event each one
sends, deletes whatever no pending file expects, and the verified bytes stay the ones served.
"""

import logging
from typing import Any

import boto3
import pytest

from app.files import downloads, repository, service
from app.local.bootstrap import LocalResources
from app.worker.handler import handler
from tests.worker.conftest import Upload, load_event, usage
from tests.worker.images import image_bytes


@pytest.fixture
def s3(aws: LocalResources) -> Any:
    return boto3.client("s3", region_name="us-east-1")


def _post_again(s3: Any, aws: LocalResources, file_id: str, data: bytes, content_type: str) -> str:
    """What posting the file's upload form once more leaves in S3: a new version."""
    put = s3.put_object(
        Bucket=aws.bucket_name, Key=f"uploads/{file_id}", Body=data, ContentType=content_type
    )
    return str(put["VersionId"])


def _versions(s3: Any, aws: LocalResources, file_id: str) -> list[str]:
    listed = s3.list_object_versions(Bucket=aws.bucket_name, Prefix=f"uploads/{file_id}")
    return [v["VersionId"] for v in listed.get("Versions", []) + listed.get("DeleteMarkers", [])]


def _deliver(file_id: str) -> None:
    assert handler(load_event("sqs_single_upload", [file_id]), None) == {"batchItemFailures": []}


def test_an_object_posted_after_its_pending_file_was_deleted_goes_with_every_version(
    upload: Upload, s3: Any, aws: LocalResources, owner_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sharebox.worker")
    landed = upload(b"first", "text/plain", name="notes.txt")
    service.delete_file(landed)  # DELETE /files/{fileId} while it was pending
    _post_again(s3, aws, landed.file_id, b"second", "text/plain")
    _post_again(s3, aws, landed.file_id, b"third!", "text/plain")

    _deliver(landed.file_id)

    assert _versions(s3, aws, landed.file_id) == []
    assert [r.outcome for r in caplog.records if hasattr(r, "outcome")] == ["unknown_file"]  # type: ignore[attr-defined]
    assert usage(owner_id) == (0, 0)


def test_a_repost_to_an_available_files_key_leaves_the_verified_bytes_and_no_extra_version(
    upload: Upload, s3: Any, aws: LocalResources, owner_id: str
) -> None:
    original = b"the verified text"
    landed = upload(original, "text/plain", name="notes.txt")
    _deliver(landed.file_id)
    verified = repository.get_file(landed.file_id)
    assert verified is not None and verified.status == "available" and verified.version_id

    replacement = b"a different text!"  # same size and type: the form's policy lets it in
    _post_again(s3, aws, landed.file_id, replacement, "text/plain")
    _deliver(landed.file_id)

    assert _versions(s3, aws, landed.file_id) == [verified.version_id]
    current = s3.get_object(Bucket=aws.bucket_name, Key=f"uploads/{landed.file_id}")
    assert current["Body"].read() == original
    url = downloads.download_url(verified, owner_id, "attachment").download_url
    assert f"versionId={verified.version_id}" in url
    assert repository.get_file(landed.file_id) == verified
    assert usage(owner_id) == (len(original), 1)


def test_two_posts_before_the_worker_runs_keep_only_the_one_that_was_verified(
    upload: Upload, s3: Any, aws: LocalResources
) -> None:
    landed = upload(b"one", "text/plain", name="notes.txt")
    newer = _post_again(s3, aws, landed.file_id, b"two", "text/plain")

    _deliver(landed.file_id)
    _deliver(landed.file_id)  # the first post's event, arriving second

    record = repository.get_file(landed.file_id)
    assert record is not None and record.version_id == newer
    assert _versions(s3, aws, landed.file_id) == [newer]


def test_garbage_posted_after_verification_neither_rejects_the_image_nor_feeds_its_thumbnail(
    upload: Upload, s3: Any, aws: LocalResources
) -> None:
    png = image_bytes("PNG", (600, 300))
    landed = upload(png)
    service.verify_upload(landed.file_id)  # POST /files/{id}/complete, before the worker
    _post_again(s3, aws, landed.file_id, b"x" * len(png), "image/png")

    _deliver(landed.file_id)

    record = repository.get_file(landed.file_id)
    assert record is not None
    assert (record.status, record.has_thumbnail) == ("available", True)
    assert _versions(s3, aws, landed.file_id) == [record.version_id]


def test_a_repost_to_a_rejected_files_key_leaves_no_version_behind(
    upload: Upload, s3: Any, aws: LocalResources, owner_id: str
) -> None:
    landed = upload(b"not a png at all", name="fake.png")
    _deliver(landed.file_id)
    rejected = repository.get_file(landed.file_id)
    assert rejected is not None and rejected.status == "rejected"

    _post_again(s3, aws, landed.file_id, b"still not a png!", "image/png")
    _deliver(landed.file_id)

    assert _versions(s3, aws, landed.file_id) == []
    assert repository.get_file(landed.file_id) == rejected
    assert usage(owner_id) == (0, 0)
