"""Sharing with users through the API: share, list, read, revoke, "shared with me"."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.shares.conftest import Upload, assert_file_not_found


def test_owner_shares_by_email_and_the_recipient_reads_and_downloads(
    client: TestClient, upload: Upload, owner: ApiUser, recipient: ApiUser
) -> None:
    file = upload(owner)
    shared = client.post(
        f"/files/{file['fileId']}/share",
        json={"email": recipient.email.upper()},
        headers=owner.headers,
    )
    assert shared.status_code == 201
    assert shared.json()["userId"] == recipient.user_id
    assert shared.json()["email"] == recipient.email
    assert shared.json()["sharedAt"].endswith("Z")

    seen = client.get(f"/files/{file['fileId']}", headers=recipient.headers)
    assert seen.status_code == 200
    assert seen.json() | {"sharedWithMe": False} == file
    assert seen.json()["sharedWithMe"] is True
    url = client.get(f"/files/{file['fileId']}/download-url", headers=recipient.headers)
    assert url.status_code == 200
    assert url.json()["downloadUrl"].startswith("https://")


def test_sharing_twice_answers_200_with_the_first_share(
    client: TestClient, shared_file: dict[str, Any], owner: ApiUser, recipient: ApiUser
) -> None:
    path = f"/files/{shared_file['fileId']}/share"
    listed = client.get(f"/files/{shared_file['fileId']}/shares", headers=owner.headers).json()
    again = client.post(path, json={"shareWithUserId": recipient.user_id}, headers=owner.headers)
    assert again.status_code == 200
    assert again.json() == listed["items"][0]
    assert len(client.get(path + "s", headers=owner.headers).json()["items"]) == 1


def test_sharing_with_an_unknown_user_id_is_user_not_found(
    client: TestClient, upload: Upload, owner: ApiUser
) -> None:
    file = upload(owner)
    body = {"shareWithUserId": "no-such-sub"}
    response = client.post(f"/files/{file['fileId']}/share", json=body, headers=owner.headers)
    assert response.status_code == 404
    assert response.json()["code"] == "user_not_found"


def test_sharing_with_yourself_is_cannot_share_with_self(
    client: TestClient, upload: Upload, owner: ApiUser
) -> None:
    file = upload(owner)
    for body in ({"email": owner.email}, {"shareWithUserId": owner.user_id}):
        response = client.post(f"/files/{file['fileId']}/share", json=body, headers=owner.headers)
        assert response.status_code == 400
        assert response.json()["code"] == "cannot_share_with_self"


def test_share_needs_exactly_one_of_email_or_user_id(
    client: TestClient, upload: Upload, owner: ApiUser, recipient: ApiUser
) -> None:
    file = upload(owner)
    both = {"email": recipient.email, "shareWithUserId": recipient.user_id}
    for body in ({}, both, {"email": "not-an-email"}):
        response = client.post(f"/files/{file['fileId']}/share", json=body, headers=owner.headers)
        assert response.status_code == 422
        assert response.json()["code"] == "validation_error"


def test_owner_lists_shares_and_revocation_is_immediate(
    client: TestClient, shared_file: dict[str, Any], owner: ApiUser, recipient: ApiUser
) -> None:
    file_id = shared_file["fileId"]
    shares = client.get(f"/files/{file_id}/shares", headers=owner.headers)
    assert shares.status_code == 200
    assert [(s["userId"], s["email"]) for s in shares.json()["items"]] == [
        (recipient.user_id, recipient.email)
    ]
    revoked = client.delete(f"/files/{file_id}/shares/{recipient.user_id}", headers=owner.headers)
    assert revoked.status_code == 204
    assert_file_not_found(client.get(f"/files/{file_id}", headers=recipient.headers))
    assert_file_not_found(client.get(f"/files/{file_id}/download-url", headers=recipient.headers))
    assert client.get("/files/shared", headers=recipient.headers).json()["items"] == []
    assert client.get(f"/files/{file_id}/shares", headers=owner.headers).json() == {
        "items": [],
        "nextCursor": None,
    }
    again = client.delete(f"/files/{file_id}/shares/{recipient.user_id}", headers=owner.headers)
    assert again.status_code == 204


def test_shared_with_me_lists_newest_share_first_and_pages(
    client: TestClient, upload: Upload, make_user: Callable[..., ApiUser], recipient: ApiUser
) -> None:
    owners = [make_user("owner"), make_user("owner")]
    file_ids = []
    for n in range(3):
        owner = owners[n % 2]
        file = upload(owner, name=f"doc-{n}.pdf")
        body = {"shareWithUserId": recipient.user_id}
        path = f"/files/{file['fileId']}/share"
        assert client.post(path, json=body, headers=owner.headers).status_code == 201
        file_ids.append(file["fileId"])
    first = client.get("/files/shared", params={"limit": 2}, headers=recipient.headers)
    assert first.status_code == 200
    assert [f["fileId"] for f in first.json()["items"]] == file_ids[:0:-1]
    assert all(f["sharedWithMe"] for f in first.json()["items"])
    cursor = first.json()["nextCursor"]
    second = client.get(
        "/files/shared", params={"limit": 2, "cursor": cursor}, headers=recipient.headers
    )
    assert [f["fileId"] for f in second.json()["items"]] == file_ids[:1]
    assert second.json()["nextCursor"] is None
    assert client.get("/files", headers=recipient.headers).json()["items"] == []


def test_shared_is_not_taken_for_a_file_id(client: TestClient, owner: ApiUser) -> None:
    response = client.get("/files/shared", headers=owner.headers)
    assert response.status_code == 200
    assert response.json() == {"items": [], "nextCursor": None}


def test_someone_elses_shared_cursor_is_invalid_cursor(
    client: TestClient,
    shared_file: dict[str, Any],
    upload: Upload,
    owner: ApiUser,
    recipient: ApiUser,
    stranger: ApiUser,
) -> None:
    second = upload(owner)
    body = {"shareWithUserId": recipient.user_id}
    client.post(f"/files/{second['fileId']}/share", json=body, headers=owner.headers)
    page = client.get("/files/shared", params={"limit": 1}, headers=recipient.headers).json()
    assert page["nextCursor"]
    foreign = client.get(
        "/files/shared", params={"cursor": page["nextCursor"]}, headers=stranger.headers
    )
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "invalid_cursor"


def test_shared_needs_a_token(client: TestClient) -> None:
    response = client.get("/files/shared")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_deleting_a_file_for_good_removes_its_shares_links_and_log(
    client: TestClient, shared_file: dict[str, Any], owner: ApiUser, recipient: ApiUser
) -> None:
    file_id = shared_file["fileId"]
    link = client.post(f"/files/{file_id}/links", json={"expiresIn": 600}, headers=owner.headers)
    assert link.status_code == 201
    assert client.delete(f"/files/{file_id}", headers=owner.headers).status_code == 204
    assert client.get("/files/shared", headers=recipient.headers).json()["items"] == []
    gone = client.get(f"/links/{link.json()['token']}")
    assert gone.status_code == 404 and gone.json()["code"] == "link_not_found"
    assert client.delete(f"/trash/{file_id}", headers=owner.headers).status_code == 204

    from app.access import shares as repository
    from app.activity import log as activity

    assert repository.page_shares(file_id, 100, None).items == []
    assert activity.page(file_id, 10, None).items == []
