"""A request from start to finish: the owner asks, a sender without an account sends a file
over a real presigned POST, the worker verifies it, and the owner finds it and hears of it."""

import json
from typing import Any

import httpx
from fastapi.testclient import TestClient

from app.worker.handler import handler
from tests.conftest import ApiUser, drain
from tests.requests.conftest import MakeRequest, Send, land, stored
from tests.worker.conftest import load_event


def post_form(ticket: dict[str, Any], data: bytes, content_type: str) -> httpx.Response:
    """What the sender's browser does with the form: POST it with the bytes, straight to S3."""
    upload = ticket["upload"]
    files = {"file": ("holiday.txt", data, content_type)}
    return httpx.post(upload["url"], data=upload["fields"], files=files, timeout=30)


def test_a_sent_file_lands_in_the_folder_with_its_sender_and_the_owner_is_told(
    moto_server: str,
    client: TestClient,
    owner: ApiUser,
    folder: dict[str, Any],
    make_request: MakeRequest,
    send: Send,
    queue: str,
) -> None:
    made = make_request(title="Holiday photos", message="Anything from the trip!", maxFiles=5)
    info = client.get(f"/requests/{made['token']}")
    assert info.status_code == 200, info.text
    assert info.json() == {
        "title": "Holiday photos",
        "message": "Anything from the trip!",
        "expiresAt": made["expiresAt"],
        "passwordProtected": False,
        "maxFiles": 5,
        "maxFileBytes": made["maxFileBytes"],
        "ownerName": "A Sharebox user",  # the owner gave no name: never their email
    }

    data = b"sun, sea and sand"
    ticket = send(
        made["token"],
        fileName="holiday.txt",
        size=len(data),
        uploaderName="Ada",
        uploaderEmail="ada@example.com",
    )
    assert ticket.status_code == 201, ticket.text
    assert set(ticket.json()) == {"fileId", "upload"}
    file_id = ticket.json()["fileId"]
    assert ticket.json()["upload"]["method"] == "POST"
    assert post_form(ticket.json(), data, "text/plain").status_code == 204

    assert handler(load_event("sqs_single_upload", [file_id]), None) == {"batchItemFailures": []}

    file = client.get(f"/files/{file_id}", headers=owner.headers).json()
    assert (file["status"], file["folderId"], file["ownerId"], file["size"]) == (
        "available",
        folder["folderId"],
        owner.user_id,
        len(data),
    )
    assert file["uploadedBy"] == {
        "name": "Ada",
        "email": "ada@example.com",
        "requestToken": made["token"],
    }
    listed = client.get(f"/folders/{folder['folderId']}/items", headers=owner.headers).json()
    assert [entry["file"]["fileId"] for entry in listed["items"]] == [file_id]
    me = client.get("/users/me", headers=owner.headers).json()
    assert me["usage"] == {"files": 1, "bytes": len(data)}

    log = client.get(f"/folders/{folder['folderId']}/activity", headers=owner.headers).json()
    [entry] = log["items"]
    assert entry["action"] == "request_upload"
    assert entry["actor"] == {
        "email": "ada@example.com",
        "name": "Ada",
        "requestToken": made["token"],
    }
    assert entry["file"] == {"fileId": file_id, "fileName": "holiday.txt"}
    assert entry["ip"]

    [message] = drain(queue)
    assert json.loads(message["Body"]) == {
        "kind": "request_received",
        "ownerId": owner.user_id,
        "requestToken": made["token"],
        "title": "Holiday photos",
        "fileId": file_id,
        "fileName": "holiday.txt",
        "uploaderName": "Ada",
        "folderId": folder["folderId"],
    }
    listed_requests = client.get(
        f"/folders/{folder['folderId']}/requests", headers=owner.headers
    ).json()
    assert [r["files"] for r in listed_requests["items"]] == [1]
    assert stored(made["token"]).slots == 1


def test_a_second_delivery_and_the_owners_complete_neither_count_nor_notify_again(
    client: TestClient,
    owner: ApiUser,
    make_request: MakeRequest,
    send: Send,
    queue: str,
) -> None:
    made = make_request()
    file_id = send(made["token"]).json()["fileId"]
    land(file_id, b"hello")
    event = load_event("sqs_single_upload", [file_id])

    assert handler(event, None) == {"batchItemFailures": []}
    assert handler(event, None) == {"batchItemFailures": []}
    done = client.post(f"/files/{file_id}/complete", headers=owner.headers)
    assert done.status_code == 200 and done.json()["status"] == "available", done.text

    assert len(drain(queue)) == 1
    assert (stored(made["token"]).received, stored(made["token"]).slots) == (1, 1)


def test_the_owner_sees_who_sent_a_file_but_those_it_is_shared_with_do_not(
    client: TestClient,
    owner: ApiUser,
    recipient: ApiUser,
    make_request: MakeRequest,
    send: Send,
) -> None:
    made = make_request()
    file_id = send(made["token"], uploaderEmail="ada@example.com").json()["fileId"]
    land(file_id, b"hello")
    handler(load_event("sqs_single_upload", [file_id]), None)
    shared = client.post(
        f"/files/{file_id}/share", json={"email": recipient.email}, headers=owner.headers
    )
    assert shared.status_code == 201, shared.text

    as_owner = client.get(f"/files/{file_id}", headers=owner.headers).json()
    as_recipient = client.get(f"/files/{file_id}", headers=recipient.headers).json()
    assert as_owner["uploadedBy"] == {"email": "ada@example.com", "requestToken": made["token"]}
    assert as_recipient["uploadedBy"] is None
