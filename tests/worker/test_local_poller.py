"""`make run`'s path end to end: presigned POST over HTTP -> S3 event -> SQS -> local poller."""

import time
from typing import Any

import boto3
import httpx
import pytest
from fastapi.testclient import TestClient

from app.local.bootstrap import LocalResources
from app.worker.poller import QueuePoller
from tests.conftest import ApiUser
from tests.worker.images import image_bytes

pytestmark = pytest.mark.e2e
Form = tuple[str, dict[str, Any]]


def declare(client: TestClient, owner: ApiUser, name: str, content_type: str, size: int) -> Form:
    """POST /files/upload-url: the file id and the presigned form."""
    declared = {"fileName": name, "contentType": content_type, "size": size}
    ticket = client.post("/files/upload-url", json=declared, headers=owner.headers)
    assert ticket.status_code == 201, ticket.text
    return str(ticket.json()["fileId"]), ticket.json()["upload"]


def post_bytes(form: dict[str, Any], name: str, content_type: str, data: bytes) -> None:
    """What the browser does with the form; nothing is called after it."""
    landed = httpx.post(
        form["url"], data=form["fields"], files={"file": (name, data, content_type)}, timeout=10
    )
    assert landed.status_code in (200, 201, 204), landed.text


def upload_over_http(
    client: TestClient, owner: ApiUser, name: str, content_type: str, data: bytes
) -> str:
    file_id, form = declare(client, owner, name, content_type, len(data))
    post_bytes(form, name, content_type, data)
    return file_id


def wait_for(client: TestClient, owner: ApiUser, file_id: str, seconds: float) -> dict[str, Any]:
    """The file once the worker has settled it (not pending, thumbnail done if any)."""
    deadline = time.monotonic() + seconds
    while True:
        body: dict[str, Any] = client.get(f"/files/{file_id}", headers=owner.headers).json()
        settled = body["status"] != "pending" and (
            body["hasThumbnail"] or body["status"] == "rejected" or time.monotonic() > deadline
        )
        if settled or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def drain(sqs: Any, queue_url: str) -> None:
    """Delete what is queued (PurgeQueue allows one call a minute)."""
    while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
        "Messages"
    ):
        entries = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
        ]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)


@pytest.fixture
def poller(moto_server: str, aws: LocalResources, user: ApiUser) -> Any:
    """The poller `make run` starts, on the session's upload queue, emptied of older tests'.

    Moto's TransactWriteItems deep-copies the table without a lock, so a transaction of the
    API thread and one of the poller's thread can collide (a RuntimeError in moto, never on
    AWS). The tests keep the API's writes (sign-up, upload declarations) out of the worker's
    way; under `make run` a record that hits it is simply retried.
    """
    sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=moto_server)
    drain(sqs, aws.queue_url)
    worker = QueuePoller(aws.queue_url, wait_seconds=1)
    worker.start()
    yield worker
    worker.stop()
    assert not worker.running


def test_uploaded_png_becomes_available_with_a_thumbnail(
    poller: QueuePoller, moto_server: str, client: TestClient, user: ApiUser
) -> None:
    file_id = upload_over_http(
        client, user, "photo.png", "image/png", image_bytes("PNG", (800, 600))
    )

    body = wait_for(client, user, file_id, seconds=10)  # a bound, not a speed target

    assert (body["status"], body["hasThumbnail"]) == ("available", True)
    assert body["uploadedAt"] is not None
    thumb = client.get(f"/files/{file_id}/thumbnail-url", headers=user.headers)
    assert thumb.status_code == 200, thumb.text
    fetched = httpx.get(thumb.json()["thumbnailUrl"], timeout=10)
    assert fetched.status_code == 200
    assert fetched.content[:3] == b"\xff\xd8\xff"  # a JPEG


def test_garbage_named_png_is_rejected_and_the_worker_keeps_going(
    poller: QueuePoller, moto_server: str, client: TestClient, user: ApiUser
) -> None:
    junk, text = b"not a png" * 50, b"hello, sharebox"
    garbage, garbage_form = declare(client, user, "garbage.png", "image/png", len(junk))
    normal, normal_form = declare(client, user, "notes.txt", "text/plain", len(text))
    post_bytes(garbage_form, "garbage.png", "image/png", junk)
    post_bytes(normal_form, "notes.txt", "text/plain", text)

    first, second = wait_for(client, user, garbage, 10), wait_for(client, user, normal, 10)

    assert (first["status"], first["rejectionReason"]) == ("rejected", "type_mismatch")
    assert (second["status"], second["hasThumbnail"]) == ("available", False)
    assert poller.running
