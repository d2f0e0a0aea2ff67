"""The owner's access log: every share, unshare, link and download, with who, when and IP."""

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.shares.conftest import Upload, assert_file_not_found


def test_the_log_records_every_kind_of_access_newest_first(
    client: TestClient, upload: Upload, owner: ApiUser, recipient: ApiUser, peer_ip: str
) -> None:
    file_id = upload(owner)["fileId"]
    body = {"email": recipient.email}
    assert client.post(f"/files/{file_id}/share", json=body, headers=owner.headers).is_success
    download = client.get(f"/files/{file_id}/download-url", headers=recipient.headers)
    assert download.status_code == 200
    link = client.post(f"/files/{file_id}/links", json={"expiresIn": 600}, headers=owner.headers)
    token = link.json()["token"]
    assert client.post(f"/links/{token}/download").status_code == 200
    assert client.delete(f"/files/{file_id}/links/{token}", headers=owner.headers).is_success
    path = f"/files/{file_id}/shares/{recipient.user_id}"
    assert client.delete(path, headers=owner.headers).is_success

    log = client.get(f"/files/{file_id}/activity", headers=owner.headers)
    assert log.status_code == 200
    entries = log.json()["items"]
    assert [e["action"] for e in entries] == [
        "unshared",
        "link_revoked",
        "link_downloaded",
        "link_created",
        "downloaded",
        "shared",
    ]
    assert log.json()["nextCursor"] is None
    by_action = {e["action"]: e for e in entries}
    owner_actor = {"userId": owner.user_id, "email": owner.email}
    recipient_actor = {"userId": recipient.user_id, "email": recipient.email}
    assert by_action["shared"]["actor"] == owner_actor
    assert by_action["shared"]["target"] == recipient_actor
    assert by_action["unshared"]["target"] == recipient_actor
    assert by_action["downloaded"]["actor"] == recipient_actor
    assert by_action["link_created"]["actor"] == owner_actor | {"linkToken": token}
    assert by_action["link_revoked"]["actor"] == owner_actor | {"linkToken": token}
    assert by_action["link_downloaded"]["actor"] == {"linkToken": token}
    assert all(e["ip"] == peer_ip for e in entries)  # the TestClient's peer address
    assert all(e["at"].endswith("Z") for e in entries)
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)


def test_the_owners_own_downloads_are_logged_too(
    client: TestClient, upload: Upload, owner: ApiUser
) -> None:
    file_id = upload(owner)["fileId"]
    client.get(f"/files/{file_id}/download-url", headers=owner.headers)
    entries = client.get(f"/files/{file_id}/activity", headers=owner.headers).json()["items"]
    assert [(e["action"], e["actor"]["userId"]) for e in entries] == [("downloaded", owner.user_id)]


def test_the_log_pages_with_a_cursor_bound_to_the_file(
    client: TestClient, upload: Upload, owner: ApiUser
) -> None:
    file_id, other_id = upload(owner)["fileId"], upload(owner)["fileId"]
    for _ in range(3):
        client.get(f"/files/{file_id}/download-url", headers=owner.headers)
    first = client.get(f"/files/{file_id}/activity?limit=2", headers=owner.headers).json()
    assert len(first["items"]) == 2 and first["nextCursor"]
    second = client.get(
        f"/files/{file_id}/activity", params={"cursor": first["nextCursor"]}, headers=owner.headers
    ).json()
    assert len(second["items"]) == 1
    foreign = client.get(
        f"/files/{other_id}/activity", params={"cursor": first["nextCursor"]}, headers=owner.headers
    )
    assert foreign.status_code == 400 and foreign.json()["code"] == "invalid_cursor"


def test_only_the_owner_reads_the_log(
    client: TestClient, shared_file: dict[str, Any], recipient: ApiUser, stranger: ApiUser
) -> None:
    for user in (recipient, stranger):
        path = f"/files/{shared_file['fileId']}/activity"
        assert_file_not_found(client.get(path, headers=user.headers))
