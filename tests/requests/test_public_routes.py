"""What a sender gets from /requests/{token}: every refusal with its status and code, and
nothing written by a refused upload."""

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.access import requests as requests_repository
from app.requests import uploads
from app.shares import throttle
from tests.conftest import ApiUser
from tests.folders.conftest import run_purges
from tests.requests.conftest import (
    FakeClock,
    MakeRequest,
    Send,
    _table_keys,
    store_request,
    stored,
    written_since,
)


def assert_request_not_found(response: httpx.Response) -> None:
    """The one 404 of every request that takes no files: nothing in it tells why."""
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://sharebox.dev/problems/request-not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "This upload request does not exist or no longer takes files.",
        "code": "request_not_found",
    }


def assert_closed(client: TestClient, send: Send, token: str) -> None:
    """Neither its page nor a send opens it, and the send wrote nothing."""
    before = _table_keys()
    assert_request_not_found(client.get(f"/requests/{token}"))
    assert_request_not_found(send(token))
    assert written_since(before) == set()


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


@pytest.mark.parametrize("token", ["unknown", "x" * 129, "a" * 32])
def test_an_unknown_token_is_request_not_found_and_writes_nothing(
    client: TestClient, send: Send, token: str
) -> None:
    before = _table_keys()
    assert_request_not_found(client.get(f"/requests/{token}"))
    assert_request_not_found(send(token))
    assert written_since(before) == set()


def test_an_expired_request_is_request_not_found(
    client: TestClient, make_request: MakeRequest, send: Send, fixed_clock: FakeClock
) -> None:
    made = make_request(expiresIn=60)
    assert client.get(f"/requests/{made['token']}").status_code == 200
    fixed_clock.advance(60)
    assert_closed(client, send, made["token"])


def test_a_revoked_request_is_request_not_found(
    client: TestClient,
    owner: ApiUser,
    folder: dict[str, Any],
    make_request: MakeRequest,
    send: Send,
) -> None:
    made = make_request()
    path = f"/folders/{folder['folderId']}/requests/{made['token']}"
    assert client.delete(path, headers=owner.headers).status_code == 204
    assert_closed(client, send, made["token"])
    assert stored(made["token"]).slots == 0


def test_a_request_of_a_trashed_folder_closes_until_the_folder_is_restored(
    client: TestClient,
    owner: ApiUser,
    mkdir: Any,
    folder: dict[str, Any],
    make_request: MakeRequest,
    send: Send,
) -> None:
    inner = mkdir(owner, "Inner", parent=folder["folderId"])
    path = f"/folders/{inner['folderId']}/requests"
    body = {"title": "Scans", "expiresIn": 3600}
    made = client.post(path, json=body, headers=owner.headers).json()
    assert client.delete(f"/folders/{folder['folderId']}", headers=owner.headers).status_code == 204

    assert_closed(client, send, made["token"])

    restored = client.post(f"/trash/{folder['folderId']}/restore", headers=owner.headers)
    assert restored.status_code == 200, restored.text
    assert send(made["token"]).status_code == 201


def test_a_folder_that_goes_for_good_takes_its_requests(
    client: TestClient,
    owner: ApiUser,
    folder: dict[str, Any],
    make_request: MakeRequest,
    send: Send,
) -> None:
    made = make_request()
    assert client.delete(f"/folders/{folder['folderId']}", headers=owner.headers).status_code == 204
    assert client.delete(f"/trash/{folder['folderId']}", headers=owner.headers).status_code == 204
    assert run_purges([folder["folderId"]]) == {"batchItemFailures": []}

    assert requests_repository.get_request(made["token"]) is None
    assert_request_not_found(send(made["token"]))


def test_the_owners_name_is_shown_never_their_email(
    client: TestClient, owner: ApiUser, make_request: MakeRequest
) -> None:
    from app.users import repository as users

    made = make_request()
    users.save_profile(owner.user_id, owner.email, name=owner.email.upper())
    assert client.get(f"/requests/{made['token']}").json()["ownerName"] == "A Sharebox user"
    users.save_profile(owner.user_id, owner.email, name="Grace Hopper")
    assert client.get(f"/requests/{made['token']}").json()["ownerName"] == "Grace Hopper"
    assert owner.email not in client.get(f"/requests/{made['token']}").text


def test_a_wrong_password_is_401_and_the_sixth_attempt_429_before_any_check(
    client: TestClient, folder: dict[str, Any], send: Send, fixed_clock: FakeClock
) -> None:
    request = store_request(folder, fixed_clock(), password="the right one")
    info = client.get(f"/requests/{request.token}").json()
    assert info["passwordProtected"] is True

    before = _table_keys()
    assert_refused(send(request.token), 401, "invalid_password")  # none given: not counted
    for _ in range(throttle.MAX_PER_LINK):
        assert_refused(send(request.token, password="a wrong one"), 401, "invalid_password")
    refused = send(request.token, password="the right one")
    assert_refused(refused, 429, "too_many_attempts")
    assert 1 <= int(refused.headers["retry-after"]) <= throttle.WINDOW_SECONDS
    assert written_since(before) == set()

    fixed_clock.advance(throttle.WINDOW_SECONDS)
    assert send(request.token, password="the right one").status_code == 201


def test_a_file_over_the_requests_size_limit_is_413_and_writes_nothing(
    folder: dict[str, Any], send: Send, fixed_clock: FakeClock
) -> None:
    request = store_request(folder, fixed_clock(), max_file_bytes=5)
    before = _table_keys()
    refused = send(request.token, size=6)
    assert_refused(refused, 413, "file_too_large")
    assert "at most 5 bytes" in refused.json()["detail"]
    assert written_since(before) == set()
    assert send(request.token, size=5).status_code == 201


def test_a_full_request_is_409_limit_reached_and_writes_nothing(
    folder: dict[str, Any], send: Send, fixed_clock: FakeClock
) -> None:
    request = store_request(folder, fixed_clock(), max_files=1)
    assert send(request.token).status_code == 201
    before = _table_keys()
    assert_refused(send(request.token), 409, "limit_reached")
    assert written_since(before) == set()
    assert stored(request.token).slots == 1


def test_a_file_the_owners_quota_cannot_hold_is_403_and_writes_nothing(
    client: TestClient,
    owner: ApiUser,
    folder: dict[str, Any],
    send: Send,
    fixed_clock: FakeClock,
    small_quota: int,
) -> None:
    request = store_request(folder, fixed_clock())
    before = _table_keys()
    assert_refused(send(request.token, size=small_quota + 1), 403, "quota_exceeded")
    assert written_since(before) == set()
    assert stored(request.token).slots == 0
    assert client.get("/users/me", headers=owner.headers).json()["usage"]["bytes"] == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"fileName": ".."},
        {"fileName": "a/b.txt"},
        {"fileName": "  "},
        {"fileName": "x" * 256},
        {"contentType": "not a type"},
        {"size": -1},
        {"size": "5"},
        {"uploaderEmail": "not-an-address"},
        {"uploaderName": "tab\there"},
        {"uploaderName": "x" * 101},
        {"uploaderName": ""},
    ],
)
def test_a_malformed_upload_is_422_and_writes_nothing(
    folder: dict[str, Any], send: Send, fixed_clock: FakeClock, fields: dict[str, Any]
) -> None:
    request = store_request(folder, fixed_clock())
    before = _table_keys()
    assert_refused(send(request.token, **fields), 422, "validation_error")
    assert written_since(before) == set()


def test_one_client_ip_gets_a_hundred_uploads_in_five_minutes_over_all_requests(
    folder: dict[str, Any], send: Send, fixed_clock: FakeClock, peer_ip: str
) -> None:
    request = store_request(folder, fixed_clock())
    for _ in range(uploads.UPLOADS_PER_IP.per_window - 1):  # spent elsewhere
        throttle.count(throttle.IP, peer_ip, uploads.UPLOADS_PER_IP, fixed_clock())
    assert send(request.token).status_code == 201

    before = _table_keys()
    refused = send(request.token)
    assert_refused(refused, 429, "too_many_uploads")
    assert 1 <= int(refused.headers["retry-after"]) <= throttle.WINDOW_SECONDS
    assert written_since(before) == set()
    fixed_clock.advance(throttle.WINDOW_SECONDS)
    assert send(request.token).status_code == 201


def test_one_request_takes_three_hundred_uploads_in_five_minutes_from_everyone(
    folder: dict[str, Any], send: Send, fixed_clock: FakeClock
) -> None:
    request = store_request(folder, fixed_clock())
    limit = uploads.UPLOADS_PER_REQUEST
    for _ in range(limit.per_window):
        throttle.count(throttle.REQUEST, request.token, limit, fixed_clock())
    before = _table_keys()
    assert_refused(send(request.token), 429, "too_many_uploads")  # a fresh IP, all the same
    assert written_since(before) == set()


def test_a_sender_can_read_nothing_back_through_a_request(
    client: TestClient, stranger: ApiUser, make_request: MakeRequest, send: Send
) -> None:
    made = make_request()
    ticket = send(made["token"]).json()
    file_id = ticket["fileId"]
    assert set(ticket) == {"fileId", "upload"}
    assert set(ticket["upload"]) == {"method", "url", "fields", "expiresIn"}

    info = client.get(f"/requests/{made['token']}").json()
    assert file_id not in str(info) and "files" not in info and "folderId" not in info
    for method, path in [
        ("GET", f"/requests/{made['token']}/uploads"),
        ("GET", f"/requests/{made['token']}/uploads/{file_id}"),
        ("GET", f"/requests/{made['token']}/items"),
        ("POST", f"/requests/{made['token']}/download"),
    ]:
        assert client.request(method, path).status_code in (404, 405), path
    assert client.get(f"/files/{file_id}").status_code == 401
    assert client.get(f"/files/{file_id}", headers=stranger.headers).status_code == 404
    download = client.get(f"/files/{file_id}/download-url", headers=stranger.headers)
    assert download.status_code == 404


def test_a_sender_cannot_choose_where_the_file_goes(
    client: TestClient,
    owner: ApiUser,
    mkdir: Any,
    folder: dict[str, Any],
    make_request: MakeRequest,
    send: Send,
) -> None:
    elsewhere = mkdir(owner, "Private")
    made = make_request()
    file_id = send(made["token"], folderId=elsewhere["folderId"]).json()["fileId"]
    file = client.get(f"/files/{file_id}", headers=owner.headers).json()
    assert file["folderId"] == folder["folderId"]


def test_the_docs_list_the_request_routes_and_only_the_owners_need_a_token(
    client: TestClient,
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    owner_routes = {
        ("post", "/folders/{folderId}/requests"),
        ("get", "/folders/{folderId}/requests"),
        ("delete", "/folders/{folderId}/requests/{token}"),
    }
    public_routes = {("get", "/requests/{token}"), ("post", "/requests/{token}/uploads")}
    for method, path in owner_routes | public_routes:
        operation = paths[path][method]
        assert operation["tags"] == ["upload requests"]
        assert operation["description"] or operation["summary"]
        assert ("security" in operation) == ((method, path) in owner_routes), (method, path)
    uploads_responses = paths["/requests/{token}/uploads"]["post"]["responses"]
    assert {"201", "401", "403", "404", "409", "413", "422", "429"} <= set(uploads_responses)
    assert [p for p in paths if p.startswith("/requests")] == [
        "/requests/{token}",
        "/requests/{token}/uploads",
    ]
    sender = client.get("/openapi.json").json()["components"]["schemas"]["Sender"]
    assert set(sender["properties"]) == {"name", "email", "requestToken"}  # not a free-form object


def test_a_sender_with_the_right_password_sends_more_files_than_there_are_guesses(
    folder: dict[str, Any], send: Send, fixed_clock: FakeClock
) -> None:
    request = store_request(folder, fixed_clock(), password="the right one")
    for number in range(throttle.MAX_PER_IP + 1):  # past both the request's and the IP's budget
        sent = send(request.token, password="the right one", fileName=f"scan-{number}.pdf")
        assert sent.status_code == 201, (number, sent.text)
    assert_refused(send(request.token, password="a wrong one"), 401, "invalid_password")
