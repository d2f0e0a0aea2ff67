"""Uploads landed straight in (moto) S3, and the sample SQS events retargeted at them."""

import copy
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest

from app.files import repository, service
from app.files.repository import FileRecord
from app.files.schemas import FileCreate
from app.local.bootstrap import LocalResources
from app.users import repository as users

EVENTS = Path(__file__).parent.parent / "events"
# The file ids the sample events name, in order.
SAMPLE_IDS = [f"3f0c9a4e-5b1d-4c7e-9a2f-00000000000{n}" for n in (1, 2, 3)]


def load_event(name: str, file_ids: list[str] | None = None) -> dict[str, Any]:
    """`tests/events/<name>.json`, its sample file ids replaced by `file_ids`."""
    text = (EVENTS / f"{name}.json").read_text()
    for sample, real in zip(SAMPLE_IDS, file_ids or [], strict=False):
        text = text.replace(sample, real)
    event: dict[str, Any] = json.loads(text)
    return event


def message_ids(event: dict[str, Any]) -> list[str]:
    return [record["messageId"] for record in event["Records"]]


def with_body(event: dict[str, Any], index: int, body: str) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    changed["Records"][index]["body"] = body
    return changed


@pytest.fixture
def owner_id(aws: LocalResources) -> str:
    user_id = str(uuid.uuid4())
    users.save_profile(user_id, f"{user_id}@example.com")
    return user_id


Upload = Callable[..., FileRecord]


@pytest.fixture
def upload(aws: LocalResources, owner_id: str) -> Upload:
    """A pending file whose object has landed: what the browser's POST leaves behind.

    `declared_size`/`declared_type` default to the real ones; a lie is made by passing them.
    """
    s3 = boto3.client("s3", region_name="us-east-1")

    def make(
        data: bytes,
        content_type: str = "image/png",
        *,
        name: str = "photo.png",
        declared_size: int | None = None,
        declared_type: str | None = None,
    ) -> FileRecord:
        body = FileCreate(
            file_name=name,
            content_type=declared_type or content_type,
            size=len(data) if declared_size is None else declared_size,
        )
        ticket = service.create_upload(owner_id, body)
        s3.put_object(
            Bucket=aws.bucket_name,
            Key=f"uploads/{ticket.file_id}",
            Body=data,
            ContentType=content_type,
        )
        record = repository.get_file(ticket.file_id)
        assert record is not None
        return record

    return make


def usage(user_id: str) -> tuple[int, int]:
    """(usedBytes, fileCount) of a user's profile."""
    profile = users.get_profile(user_id)
    assert profile is not None
    return profile.used_bytes, profile.file_count
