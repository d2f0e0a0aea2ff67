"""A sender may declare the SHA-256 of what it sends, as an uploader may: the owner's File
carries it (lowercased); a malformed one is a 422 that takes no place in the request."""

import hashlib

from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.requests.conftest import MakeRequest, Send, land, stored

DATA = b"hello"
DIGEST = hashlib.sha256(DATA).hexdigest()


def test_a_sent_files_declared_digest_reaches_the_owners_file(
    client: TestClient, owner: ApiUser, make_request: MakeRequest, send: Send
) -> None:
    made = make_request()
    ticket = send(made["token"], sha256=DIGEST.upper())
    assert ticket.status_code == 201, ticket.text
    assert set(ticket.json()) == {"fileId", "upload"}  # nothing read back, the digest neither
    file_id = ticket.json()["fileId"]
    land(file_id, DATA)

    done = client.post(f"/files/{file_id}/complete", headers=owner.headers)

    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["sha256"]) == ("available", DIGEST)


def test_a_sent_file_without_a_digest_has_none(
    client: TestClient, owner: ApiUser, make_request: MakeRequest, send: Send
) -> None:
    file_id = send(make_request()["token"]).json()["fileId"]
    land(file_id, DATA)
    done = client.post(f"/files/{file_id}/complete", headers=owner.headers)
    assert done.status_code == 200 and done.json()["sha256"] is None, done.text


def test_a_malformed_digest_is_a_validation_error_that_takes_no_place(
    make_request: MakeRequest, send: Send
) -> None:
    made = make_request()
    response = send(made["token"], sha256=DIGEST[:-2])
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "validation_error"
    assert stored(made["token"]).slots == 0
