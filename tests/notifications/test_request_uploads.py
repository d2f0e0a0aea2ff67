"""Files sent through an upload request, from the sender's POST to the owner's email: the
verified file is announced and emailed with a link to its folder; a rejected one is not the
owner's upload and sends the owner nothing."""

from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from app.clock import utcnow
from app.files import service
from app.local.bootstrap import LocalResources
from app.notifications import sender
from app.notifications.messages import RequestReceived, decode
from tests.conftest import ApiUser
from tests.notifications.conftest import Mailbox, drain, text_of


@pytest.fixture
def request_token(client: TestClient, user: ApiUser) -> tuple[str, str]:
    """An upload request of `user` into a new folder: (its token, the folder id)."""
    folder = client.post("/folders", json={"name": "Inbox"}, headers=user.headers)
    assert folder.status_code == 201, folder.text
    folder_id = folder.json()["folderId"]
    made = client.post(
        f"/folders/{folder_id}/requests",
        json={"title": "Tax papers", "expiresIn": 3600},
        headers=user.headers,
    )
    assert made.status_code == 201, made.text
    return made.json()["token"], folder_id


def sent(client: TestClient, aws: LocalResources, token: str, data: bytes, declared: int) -> str:
    """A file sent through the request (no sign-in) whose bytes landed; its id."""
    body: dict[str, Any] = {
        "fileName": "w2.txt",
        "contentType": "text/plain",
        "size": declared,
        "uploaderName": "Bea",
    }
    ticket = client.post(f"/requests/{token}/uploads", json=body)
    assert ticket.status_code == 201, ticket.text
    file_id = str(ticket.json()["fileId"])
    boto3.client("s3", region_name="us-east-1").put_object(
        Bucket=aws.bucket_name, Key=f"uploads/{file_id}", Body=data, ContentType="text/plain"
    )
    return file_id


def test_a_received_file_is_emailed_to_the_owner_with_a_link_to_its_folder(
    client: TestClient,
    aws: LocalResources,
    user: ApiUser,
    request_token: tuple[str, str],
    mailbox: Mailbox,
    queue: str,
) -> None:
    token, folder_id = request_token
    file_id = sent(client, aws, token, b"12345", declared=5)

    assert service.verify_upload(file_id).status == "available"  # type: ignore[union-attr]
    (message,) = [decode(m["Body"]) for m in drain(queue)]
    assert isinstance(message, RequestReceived) and message.folder_id == folder_id
    sender.deliver(message, utcnow())

    (email,) = mailbox.to(user.email)
    assert email["Subject"] == "“w2.txt” arrived through your request “Tax papers”"
    assert "Bea sent a file" in text_of(email)
    assert f"See what arrived: https://files.example.com/#/folder/{folder_id}" in text_of(email)


def test_a_rejected_file_sent_through_a_request_queues_no_email(
    client: TestClient,
    aws: LocalResources,
    request_token: tuple[str, str],
    queue: str,
) -> None:
    token, _ = request_token
    file_id = sent(client, aws, token, b"123", declared=5)

    assert service.verify_upload(file_id).status == "rejected"  # type: ignore[union-attr]
    assert drain(queue) == []
