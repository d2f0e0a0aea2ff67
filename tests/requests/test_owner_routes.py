"""The owner's routes: create, list and revoke a folder's upload requests."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.access.limits import MAX_REQUESTS
from app.settings import get_settings
from tests.conftest import ApiUser
from tests.requests.conftest import FakeClock, MakeRequest, stored


def test_a_new_request_answers_the_request_object_with_its_page_url(
    client: TestClient, make_request: MakeRequest, folder: dict[str, Any]
) -> None:
    made = make_request(
        title="  Tax documents 2026 ", message="Line one\nLine two", maxFiles=3, maxFileBytes=1000
    )
    assert set(made) == {
        "token",
        "url",
        "folderId",
        "title",
        "message",
        "expiresAt",
        "passwordProtected",
        "maxFiles",
        "maxFileBytes",
        "files",
        "createdAt",
    }
    assert made["url"] == f"{client.base_url}/r/{made['token']}"
    assert len(made["token"]) == 32
    assert (made["folderId"], made["title"], made["message"]) == (
        folder["folderId"],
        "Tax documents 2026",
        "Line one\nLine two",
    )
    assert (made["maxFiles"], made["maxFileBytes"], made["files"]) == (3, 1000, 0)
    assert made["passwordProtected"] is False


def test_limits_default_to_a_thousand_files_of_the_single_upload_size(
    make_request: MakeRequest,
) -> None:
    made = make_request()
    assert (made["maxFiles"], made["maxFileBytes"], made["message"]) == (
        1000,
        get_settings().single_upload_max_bytes,
        None,
    )


def test_a_password_is_stored_only_as_a_hash(make_request: MakeRequest) -> None:
    made = make_request(password="open sesame")
    assert made["passwordProtected"] is True
    record = stored(made["token"])
    assert record.password_hash is not None and "open sesame" not in record.password_hash


def test_the_folders_list_shows_its_requests_newest_first_and_drops_revoked_ones(
    client: TestClient, owner: ApiUser, folder: dict[str, Any], make_request: MakeRequest
) -> None:
    first, second, third = make_request(title="a"), make_request(title="b"), make_request(title="c")
    path = f"/folders/{folder['folderId']}/requests"
    revoked = client.delete(f"{path}/{second['token']}", headers=owner.headers)
    assert revoked.status_code == 204

    page = client.get(path, params={"limit": 1}, headers=owner.headers)
    assert page.status_code == 200, page.text
    assert [item["token"] for item in page.json()["items"]] == [third["token"]]
    rest = client.get(path, params={"cursor": page.json()["nextCursor"]}, headers=owner.headers)
    assert [item["token"] for item in rest.json()["items"]] == [first["token"]]
    assert rest.json()["nextCursor"] is None
    assert client.get(f"/requests/{second['token']}").json()["code"] == "request_not_found"


def test_revoking_a_token_that_is_not_the_folders_changes_nothing(
    client: TestClient,
    owner: ApiUser,
    mkdir: Any,
    make_request: MakeRequest,
) -> None:
    made = make_request()
    elsewhere = mkdir(owner, "Elsewhere")
    for token in (made["token"], "x" * 500, "unknown"):
        path = f"/folders/{elsewhere['folderId']}/requests/{token}"
        assert client.delete(path, headers=owner.headers).status_code == 204
    assert client.get(f"/requests/{made['token']}").status_code == 200


@pytest.mark.parametrize("who", ["stranger", "recipient"])
def test_only_the_owner_may_see_make_or_revoke_a_folders_requests(
    client: TestClient,
    owner: ApiUser,
    folder: dict[str, Any],
    make_request: MakeRequest,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    made = make_request()
    caller: ApiUser = request.getfixturevalue(who)
    if who == "recipient":  # the folder is shared with them: still not theirs
        shared = client.post(
            f"/folders/{folder['folderId']}/share",
            json={"email": caller.email},
            headers=owner.headers,
        )
        assert shared.status_code == 201, shared.text
    path = f"/folders/{folder['folderId']}/requests"
    answers = [
        client.post(path, json={"title": "Mine now", "expiresIn": 60}, headers=caller.headers),
        client.get(path, headers=caller.headers),
        client.delete(f"{path}/{made['token']}", headers=caller.headers),
    ]
    for answer in answers:
        assert answer.status_code == 404, answer.text
        assert answer.json()["code"] == "folder_not_found"
    assert client.get(f"/requests/{made['token']}").status_code == 200
    assert len(client.get(path, headers=owner.headers).json()["items"]) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"title": "", "expiresIn": 3600},
        {"title": "   ", "expiresIn": 3600},
        {"title": "x" * 201, "expiresIn": 3600},
        {"title": "bell\x07", "expiresIn": 3600},
        {"title": "line\nbreak", "expiresIn": 3600},
        {"title": "ok", "message": "x" * 2001, "expiresIn": 3600},
        {"title": "ok", "message": "nul\x00", "expiresIn": 3600},
        {"title": "ok", "expiresIn": 59},
        {"title": "ok", "expiresIn": 30 * 24 * 3600 + 1},
        {"title": "ok", "expiresIn": "3600"},
        {"title": "ok"},
        {"title": "ok", "expiresIn": 3600, "password": "short"},
        {"title": "ok", "expiresIn": 3600, "password": "x" * 129},
        {"title": "ok", "expiresIn": 3600, "maxFiles": 0},
        {"title": "ok", "expiresIn": 3600, "maxFiles": 1001},
        {"title": "ok", "expiresIn": 3600, "maxFileBytes": 0},
        {"title": "ok", "expiresIn": 3600, "maxFileBytes": 5 * 1024**3 + 1},
    ],
)
def test_a_request_that_breaks_a_rule_is_refused_with_422(
    client: TestClient, owner: ApiUser, folder: dict[str, Any], body: dict[str, Any]
) -> None:
    path = f"/folders/{folder['folderId']}/requests"
    response = client.post(path, json=body, headers=owner.headers)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_error"
    assert client.get(path, headers=owner.headers).json()["items"] == []


def test_a_folder_takes_twenty_live_requests_and_an_expired_one_frees_its_place(
    client: TestClient,
    owner: ApiUser,
    folder: dict[str, Any],
    make_request: MakeRequest,
    fixed_clock: FakeClock,
) -> None:
    short = make_request(expiresIn=60)
    for _ in range(MAX_REQUESTS - 1):
        make_request()
    path = f"/folders/{folder['folderId']}/requests"
    body = {"title": "one too many", "expiresIn": 3600}

    refused = client.post(path, json=body, headers=owner.headers)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "limit_reached"
    assert len(client.get(path, headers=owner.headers).json()["items"]) == MAX_REQUESTS

    fixed_clock.advance(61)  # the short one expired: its place is free again
    assert client.post(path, json=body, headers=owner.headers).status_code == 201
    assert client.get(f"/requests/{short['token']}").status_code == 404


def test_a_revoked_request_frees_its_place_at_once(
    client: TestClient, owner: ApiUser, folder: dict[str, Any], make_request: MakeRequest
) -> None:
    made = [make_request() for _ in range(MAX_REQUESTS)]
    path = f"/folders/{folder['folderId']}/requests"
    assert client.delete(f"{path}/{made[0]['token']}", headers=owner.headers).status_code == 204
    again = client.post(path, json={"title": "again", "expiresIn": 60}, headers=owner.headers)
    assert again.status_code == 201, again.text
