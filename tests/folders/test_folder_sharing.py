"""A folder shared with a user: read-only, all below it, nothing above it, revoked at once."""

from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.folders.conftest import Mkdir, PutFile, items, names


def share(client: TestClient, owner: ApiUser, folder: str, recipient: ApiUser) -> None:
    response = client.post(
        f"/folders/{folder}/share", json={"email": recipient.email}, headers=owner.headers
    )
    assert response.status_code == 201, response.text


def test_a_recipient_browses_and_downloads_everything_below_a_shared_folder(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    above = mkdir(owner, "Above")["folderId"]
    shared = mkdir(owner, "Shared", parent=above)["folderId"]
    deep = shared
    for level in range(8):
        deep = mkdir(owner, f"L{level}", parent=deep)["folderId"]
    file = put_file(owner, deep, "deep.txt")
    share(client, owner, shared, recipient)
    h = recipient.headers
    listed = client.get("/shared", headers=h).json()["items"]
    assert [(e["type"], e["folder"]["folderId"]) for e in listed] == [("folder", shared)]
    assert listed[0]["folder"]["sharedWithMe"] is True and listed[0]["sharedAt"]
    assert names(items(client, recipient, shared)) == ["L0"]
    got = client.get(f"/files/{file['fileId']}", headers=h)
    assert got.status_code == 200 and got.json()["sharedWithMe"] is True
    assert client.get(f"/files/{file['fileId']}/download-url", headers=h).status_code == 200
    view = client.get(f"/folders/{deep}", headers=h).json()
    assert [step["name"] for step in view["path"]] == ["Shared"] + [f"L{i}" for i in range(7)]
    # Nothing above it.
    assert client.get(f"/folders/{above}", headers=h).status_code == 404
    assert client.get(f"/folders/{above}/items", headers=h).status_code == 404
    assert client.get(f"/folders/{shared}", headers=h).json()["path"] == []


def test_what_is_added_later_is_shared_too_and_a_revoke_ends_it_everywhere_below(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    shared = mkdir(owner, "Shared")["folderId"]
    share(client, owner, shared, recipient)
    later = mkdir(owner, "Later", parent=shared)["folderId"]
    file = put_file(owner, later, "later.txt")
    assert client.get(f"/files/{file['fileId']}", headers=recipient.headers).status_code == 200
    revoked = client.delete(f"/folders/{shared}/shares/{recipient.user_id}", headers=owner.headers)
    assert revoked.status_code == 204
    for path in (f"/files/{file['fileId']}", f"/folders/{later}", f"/folders/{shared}/items"):
        assert client.get(path, headers=recipient.headers).status_code == 404, path
    assert client.get("/shared", headers=recipient.headers).json()["items"] == []


def test_a_recipient_can_never_change_a_shared_folder_or_what_is_in_it(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    shared = mkdir(owner, "Shared")["folderId"]
    inner = mkdir(owner, "Inner", parent=shared)["folderId"]
    file = put_file(owner, inner)
    share(client, owner, shared, recipient)
    mine = mkdir(recipient, "Mine")["folderId"]
    h = recipient.headers
    for folder in (shared, inner):
        attempts = [
            client.patch(f"/folders/{folder}", json={"name": "x"}, headers=h),
            client.patch(f"/folders/{folder}", json={"parentId": mine}, headers=h),
            client.delete(f"/folders/{folder}", headers=h),
            client.post(f"/folders/{folder}/share", json={"email": owner.email}, headers=h),
            client.post(f"/folders/{folder}/links", json={"expiresIn": 600}, headers=h),
            client.get(f"/folders/{folder}/shares", headers=h),
            client.post("/folders", json={"name": "x", "parentId": folder}, headers=h),
        ]
        for response in attempts:
            assert response.status_code == 404, response.request.url
    fid = file["fileId"]
    for response in (
        client.patch(f"/files/{fid}", json={"fileName": "x"}, headers=h),
        client.patch(f"/files/{fid}", json={"folderId": mine}, headers=h),
        client.delete(f"/files/{fid}", headers=h),
    ):
        assert response.status_code == 404
    upload = {"fileName": "x", "contentType": "text/plain", "size": 1, "folderId": inner}
    assert client.post("/files/upload-url", json=upload, headers=h).status_code == 404


def test_deleting_a_shared_folder_ends_access_below_it_before_the_purge(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    shared = mkdir(owner, "Shared")["folderId"]
    inner = mkdir(owner, "Inner", parent=shared)["folderId"]
    file = put_file(owner, inner)
    share(client, owner, shared, recipient)
    assert client.delete(f"/folders/{shared}", headers=owner.headers).status_code == 204
    for path in (f"/files/{file['fileId']}", f"/folders/{inner}", f"/folders/{inner}/items"):
        assert client.get(path, headers=recipient.headers).status_code == 404, path


def test_moving_a_folder_out_of_a_shared_one_ends_the_recipients_access(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    shared = mkdir(owner, "Shared")["folderId"]
    inner = mkdir(owner, "Inner", parent=shared)["folderId"]
    deeper = mkdir(owner, "Deeper", parent=inner)["folderId"]
    file = put_file(owner, deeper)
    share(client, owner, shared, recipient)
    assert client.get(f"/files/{file['fileId']}", headers=recipient.headers).status_code == 200
    client.patch(f"/folders/{inner}", json={"parentId": None}, headers=owner.headers)
    assert client.get(f"/files/{file['fileId']}", headers=recipient.headers).status_code == 404
    assert client.get(f"/folders/{deeper}", headers=recipient.headers).status_code == 404


def test_shared_lists_files_and_folders_most_recent_first_with_paging(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    folder = mkdir(owner, "F")["folderId"]
    file = put_file(owner)
    share(client, owner, folder, recipient)
    client.post(
        f"/files/{file['fileId']}/share", json={"email": recipient.email}, headers=owner.headers
    )
    first = client.get("/shared", params={"limit": 1}, headers=recipient.headers).json()
    assert [e["type"] for e in first["items"]] == ["file"]
    second = client.get(
        "/shared", params={"limit": 1, "cursor": first["nextCursor"]}, headers=recipient.headers
    ).json()
    assert [e["type"] for e in second["items"]] == ["folder"] and second["nextCursor"] is None
    bad = client.get("/shared", params={"cursor": first["nextCursor"]}, headers=owner.headers)
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"


def test_a_folders_activity_logs_its_shares(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir
) -> None:
    folder = mkdir(owner)["folderId"]
    share(client, owner, folder, recipient)
    client.delete(f"/folders/{folder}/shares/{recipient.user_id}", headers=owner.headers)
    log = client.get(f"/folders/{folder}/activity", headers=owner.headers).json()["items"]
    assert [entry["action"] for entry in log] == ["unshared", "shared"]
    assert client.get(f"/folders/{folder}/shares", headers=owner.headers).json()["items"] == []
