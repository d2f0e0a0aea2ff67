"""A rejected upload queues its owner's email exactly once: by whichever call wins the
transition to rejected, however many times the upload is verified again."""

import uuid
from collections.abc import Callable

import boto3

from app.files import service
from app.files.schemas import FileCreate
from app.local.bootstrap import LocalResources
from app.notifications.messages import UploadRejected, decode
from tests.notifications.conftest import Person, drain

Make = Callable[..., Person]


def landed(aws: LocalResources, owner: Person, data: bytes, declared: int, name: str) -> str:
    """A pending upload whose object landed with `data` (of `declared` bytes, it said)."""
    ticket = service.create_upload(
        owner.user_id, FileCreate(file_name=name, content_type="image/png", size=declared)
    )
    boto3.client("s3", region_name="us-east-1").put_object(
        Bucket=aws.bucket_name, Key=f"uploads/{ticket.file_id}", Body=data, ContentType="image/png"
    )
    return ticket.file_id


def rejections(queue: str) -> list[UploadRejected]:
    found = [decode(m["Body"]) for m in drain(queue)]
    return [m for m in found if isinstance(m, UploadRejected)]


def test_a_size_mismatch_is_queued_once_for_the_owner(
    aws: LocalResources, queue: str, person: Make
) -> None:
    owner = person()
    file_id = landed(aws, owner, b"12345", declared=9, name="short.png")

    for _ in range(3):  # the route, the worker and a retry all verify it
        record = service.verify_upload(file_id)
        assert record is not None and record.status == "rejected"

    assert rejections(queue) == [
        UploadRejected(
            owner_id=owner.user_id, file_id=file_id, file_name="short.png", reason="size_mismatch"
        )
    ]


def test_content_rejected_after_verification_is_queued_once(
    aws: LocalResources, queue: str, person: Make
) -> None:
    owner = person()
    file_id = landed(aws, owner, b"not a png", declared=9, name="fake.png")
    available = service.verify_upload(file_id)
    assert available is not None and available.status == "available"
    assert rejections(queue) == []

    service.reject_content(file_id, "type_mismatch")
    service.reject_content(file_id, "type_mismatch")

    (queued,) = rejections(queue)
    assert (queued.file_id, queued.reason, queued.owner_id) == (
        file_id,
        "type_mismatch",
        owner.user_id,
    )


def test_an_unknown_file_queues_nothing(aws: LocalResources, queue: str) -> None:
    assert service.reject_content(str(uuid.uuid4()), "type_mismatch") is None
    assert rejections(queue) == []
