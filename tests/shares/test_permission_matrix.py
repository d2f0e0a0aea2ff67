"""Owner, recipient and stranger against every file route: who gets what, and 404s say nothing.

A recipient may read the metadata, download and see the thumbnail route; everything that
changes the file or its sharing is the owner's, and answers a recipient exactly as it answers
a stranger: the same 404 `file_not_found` a file that never existed gets.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.shares.conftest import assert_file_not_found


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # {file}, {user} (a bystander's id) and {token} (a link of the file) are filled in
    owner: int  # what the owner gets
    recipient_reads: bool = False  # the recipient gets what the owner gets
    body: Any = None


PARTS = {"parts": [{"partNumber": 1, "etag": "abc"}]}
ROUTES = [
    Route("GET", "/files/{file}", 200, recipient_reads=True),
    Route("GET", "/files/{file}/download-url", 200, recipient_reads=True),
    Route("GET", "/files/{file}/thumbnail-url", 404, recipient_reads=True),
    Route("PATCH", "/files/{file}", 200, body={"fileName": "renamed.pdf"}),
    Route("DELETE", "/files/{file}", 204),
    Route("POST", "/files/{file}/complete", 200),
    Route("GET", "/files/{file}/multipart", 409),
    Route("POST", "/files/{file}/multipart/complete", 409, body=PARTS),
    Route("DELETE", "/files/{file}/multipart", 409),
    Route("POST", "/files/{file}/share", 201, body={"shareWithUserId": "{user}"}),
    Route("GET", "/files/{file}/shares", 200),
    Route("DELETE", "/files/{file}/shares/{user}", 204),
    Route("POST", "/files/{file}/links", 201, body={"expiresIn": 600}),
    Route("GET", "/files/{file}/links", 200),
    Route("DELETE", "/files/{file}/links/{token}", 204),
    Route("GET", "/files/{file}/activity", 200),
]


def fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {key: fill(item, names) for key, item in value.items()}
    return value


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_each_role_gets_what_the_matrix_says(
    client: TestClient,
    shared_file: dict[str, Any],
    owner: ApiUser,
    recipient: ApiUser,
    stranger: ApiUser,
    make_user: Callable[..., ApiUser],
    route: Route,
) -> None:
    link = client.post(
        f"/files/{shared_file['fileId']}/links", json={"expiresIn": 600}, headers=owner.headers
    ).json()
    names = {
        "file": shared_file["fileId"],
        "user": make_user("bystander").user_id,
        "token": link["token"],
    }
    path, body = fill(route.path, names), fill(route.body, names)

    def call(user: ApiUser | None, target: str = path) -> Any:
        headers = user.headers if user else {}
        return client.request(route.method, target, json=body, headers=headers)

    assert_file_not_found(call(stranger))
    never_existed = fill(route.path, names | {"file": str(uuid.uuid4())})
    assert call(stranger, never_existed).json() == call(stranger).json()
    unauthenticated = call(None)
    assert unauthenticated.status_code == 401

    as_recipient = call(recipient)
    if route.recipient_reads:
        assert as_recipient.status_code == route.owner, as_recipient.text
    else:
        assert_file_not_found(as_recipient)

    as_owner = call(owner)
    assert as_owner.status_code == route.owner, as_owner.text
    if as_owner.status_code == 404:
        assert as_owner.json()["code"] != "file_not_found"


def test_what_a_recipient_tried_changed_nothing(
    client: TestClient, shared_file: dict[str, Any], owner: ApiUser, recipient: ApiUser
) -> None:
    file_id = shared_file["fileId"]
    client.patch(f"/files/{file_id}", json={"fileName": "mine.pdf"}, headers=recipient.headers)
    client.delete(f"/files/{file_id}", headers=recipient.headers)
    client.post(f"/files/{file_id}/links", json={"expiresIn": 600}, headers=recipient.headers)
    client.delete(f"/files/{file_id}/shares/{recipient.user_id}", headers=recipient.headers)
    assert client.get(f"/files/{file_id}", headers=owner.headers).json() == shared_file
    assert client.get(f"/files/{file_id}/links", headers=owner.headers).json() == {
        "items": [],
        "nextCursor": None,
    }
    shares = client.get(f"/files/{file_id}/shares", headers=owner.headers).json()["items"]
    assert [share["userId"] for share in shares] == [recipient.user_id]
