"""Helpers for the files tests: declare uploads through the API, land bytes in moto's S3."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.aws import client as aws_client
from app.files import storage
from app.local.atomic import serialize_dynamodb
from app.settings import get_settings
from tests.conftest import ApiUser

Declare = Callable[..., dict[str, Any]]


@pytest.fixture
def declare(client: TestClient) -> Declare:
    """POST /files/upload-url for `owner` and return the 201 body."""

    def make(
        owner: ApiUser, name: str = "notes.txt", content_type: str = "text/plain", size: int = 5
    ) -> dict[str, Any]:
        body = {"fileName": name, "contentType": content_type, "size": size}
        response = client.post("/files/upload-url", json=body, headers=owner.headers)
        assert response.status_code == 201, response.text
        return response.json()

    return make


def land(file_id: str, data: bytes, content_type: str = "text/plain") -> None:
    """What the browser's POST would leave in S3 (moto in-process does not see httpx)."""
    aws_client("s3").put_object(
        Bucket=get_settings().bucket_name,
        Key=storage.object_key(file_id),
        Body=data,
        ContentType=content_type,
    )


def start_multipart(client: TestClient, owner: ApiUser, size: int) -> dict[str, Any]:
    """POST /files/multipart for `owner` and return the 201 body (its ticket)."""
    body = {"fileName": "big.bin", "contentType": "application/octet-stream", "size": size}
    response = client.post("/files/multipart", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def put_part(file_id: str, upload_id: str, number: int, data: bytes) -> str:
    """What a client's PUT to a part URL leaves in S3: the part's ETag."""
    answer = aws_client("s3").upload_part(
        Bucket=get_settings().bucket_name,
        Key=storage.object_key(file_id),
        UploadId=upload_id,
        PartNumber=number,
        Body=data,
    )
    return str(answer["ETag"])


def object_exists(key: str) -> bool:
    return storage.head(key) is not None


Uploaded = Callable[..., dict[str, Any]]


@pytest.fixture
def uploaded(client: TestClient, declare: Declare) -> Uploaded:
    """A file declared, landed and completed: the 200 File body."""

    def make(owner: ApiUser, name: str = "notes.txt", data: bytes = b"hello") -> dict[str, Any]:
        ticket = declare(owner, name=name, size=len(data))
        land(ticket["fileId"], data)
        done = client.post(f"/files/{ticket['fileId']}/complete", headers=owner.headers)
        assert done.status_code == 200, done.text
        return done.json()

    return make


@pytest.fixture
def atomic_dynamodb() -> Iterator[None]:
    """Each moto DynamoDB call atomic, as on AWS; else a race test would test moto's races."""
    undo = serialize_dynamodb()
    try:
        yield
    finally:
        undo()
