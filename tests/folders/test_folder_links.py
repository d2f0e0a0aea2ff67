"""Public links to folders: browse below the folder, download any file in it, password once."""

from fastapi.testclient import TestClient

from app.shares import visits
from tests.conftest import ApiUser
from tests.folders.conftest import Mkdir, PutFile
from tests.shares.conftest import FakeClock


def make_link(client: TestClient, owner: ApiUser, folder: str, **body) -> dict:
    response = client.post(
        f"/folders/{folder}/links", json={"expiresIn": 3600} | body, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_a_folder_link_browses_subfolders_and_downloads_files_below_it(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    above = mkdir(owner, "Above")["folderId"]
    shared = mkdir(owner, "Shared", parent=above)["folderId"]
    sub = mkdir(owner, "Sub", parent=shared)["folderId"]
    top_file = put_file(owner, shared, "top.txt")
    sub_file = put_file(owner, sub, "sub.txt", b"inside")
    outside = put_file(owner, above, "outside.txt")
    link = make_link(client, owner, shared)
    assert link["type"] == "folder" and link["url"].endswith(f"/s/{link['token']}")
    token = link["token"]
    info = client.get(f"/links/{token}").json()
    assert info == {
        "type": "folder",
        "name": "Shared",
        "expiresAt": link["expiresAt"],
        "passwordProtected": False,
    }
    root = client.get(f"/links/{token}/items").json()
    assert [
        (e["type"], e.get("folder", e.get("file"))["name" if e["type"] == "folder" else "fileName"])
        for e in root["items"]
    ] == [("folder", "Sub"), ("file", "top.txt")]
    assert root["path"] == [] and "ownerId" not in root["items"][1]["file"]
    inside = client.get(f"/links/{token}/items", params={"folderId": sub}).json()
    assert [e["file"]["fileId"] for e in inside["items"]] == [sub_file["fileId"]]
    assert inside["path"] == [{"folderId": shared, "name": "Shared"}]
    down = client.post(f"/links/{token}/download", json={"fileId": sub_file["fileId"]})
    assert down.status_code == 200 and down.json()["fileName"] == "sub.txt"
    # Never above it, nor anything outside it.
    assert client.get(f"/links/{token}/items", params={"folderId": above}).status_code == 404
    refused = client.post(f"/links/{token}/download", json={"fileId": outside["fileId"]})
    assert refused.status_code == 404 and refused.json()["code"] == "link_not_found"
    missing = client.post(f"/links/{token}/download", json={})
    assert missing.status_code == 400 and missing.json()["code"] == "file_required"
    # Each file download counts one; the folder's log and the file's show it.
    listed = client.get(f"/folders/{shared}/links", headers=owner.headers).json()["items"]
    assert listed[0]["downloads"] == 1
    folder_log = client.get(f"/folders/{shared}/activity", headers=owner.headers).json()
    file_log = client.get(f"/files/{sub_file['fileId']}/activity", headers=owner.headers).json()
    assert [e["action"] for e in folder_log["items"]] == ["link_downloaded", "link_created"]
    assert [e["action"] for e in file_log["items"]] == ["link_downloaded"]
    assert top_file["fileId"]


def test_the_download_limit_counts_every_file(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    folder = mkdir(owner)["folderId"]
    a, b = put_file(owner, folder, "a.txt"), put_file(owner, folder, "b.txt")
    token = make_link(client, owner, folder, maxDownloads=2)["token"]
    for file in (a, b):
        assert (
            client.post(f"/links/{token}/download", json={"fileId": file["fileId"]}).status_code
            == 200
        )
    third = client.post(f"/links/{token}/download", json={"fileId": a["fileId"]})
    assert third.status_code == 404
    assert client.get(f"/links/{token}/items").status_code == 404


def test_a_password_is_asked_once_per_visit(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    folder = mkdir(owner, "Secret")["folderId"]
    file = put_file(owner, folder, "s.txt")
    token = make_link(client, owner, folder, password="correct horse")["token"]
    info = client.get(f"/links/{token}").json()
    assert info == {"type": "folder", "expiresAt": info["expiresAt"], "passwordProtected": True}
    locked = client.get(f"/links/{token}/items")
    assert locked.status_code == 401 and locked.json()["code"] == "invalid_password"
    wrong = client.post(f"/links/{token}/unlock", json={"password": "wrong password"})
    assert wrong.status_code == 401
    visit = client.post(f"/links/{token}/unlock", json={"password": "correct horse"})
    assert visit.status_code == 200, visit.text
    body = visit.json()
    assert body["type"] == "folder" and body["name"] == "Secret" and body["folderId"] == folder
    key = body["key"]
    listed = client.get(f"/links/{token}/items", params={"key": key})
    assert [e["file"]["fileName"] for e in listed.json()["items"]] == ["s.txt"]
    down = client.post(f"/links/{token}/download", json={"fileId": file["fileId"], "key": key})
    assert down.status_code == 200
    forged = client.get(f"/links/{token}/items", params={"key": key[:-2] + "AA"})
    assert forged.status_code == 401


def test_a_visit_key_opens_only_its_own_link_and_only_until_it_expires(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, fixed_clock: FakeClock
) -> None:
    one, two = mkdir(owner, "one")["folderId"], mkdir(owner, "two")["folderId"]
    first = make_link(client, owner, one, password="password one")["token"]
    second = make_link(client, owner, two, password="password two")["token"]
    key = client.post(f"/links/{first}/unlock", json={"password": "password one"}).json()["key"]
    assert client.get(f"/links/{second}/items", params={"key": key}).status_code == 401
    fixed_clock.advance(visits.KEY_TTL_SECONDS + 1)
    assert client.get(f"/links/{first}/items", params={"key": key}).status_code == 401


def test_unlock_is_throttled_like_downloads(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, fixed_clock: FakeClock
) -> None:
    # A fixed clock: with the real one, a 5-minute window could end between two guesses.
    folder = mkdir(owner)["folderId"]
    token = make_link(client, owner, folder, password="the password")["token"]
    answers = [
        client.post(f"/links/{token}/unlock", json={"password": f"guess {i:04d}"}).status_code
        for i in range(6)
    ]
    assert answers == [401] * 5 + [429]


def test_a_revoked_or_deleted_folder_link_is_404_and_file_links_keep_working(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    folder = mkdir(owner)["folderId"]
    token = make_link(client, owner, folder)["token"]
    revoked = client.delete(f"/folders/{folder}/links/{token}", headers=owner.headers)
    assert revoked.status_code == 204
    assert client.get(f"/links/{token}").status_code == 404
    other = mkdir(owner)["folderId"]
    token = make_link(client, owner, other)["token"]
    client.delete(f"/folders/{other}", headers=owner.headers)
    assert client.get(f"/links/{token}").status_code == 404
    assert client.get(f"/links/{token}/items").status_code == 404
    file = put_file(owner)
    file_link = client.post(
        f"/files/{file['fileId']}/links", json={"expiresIn": 600}, headers=owner.headers
    ).json()
    assert file_link["type"] == "file"
    assert client.get(f"/links/{file_link['token']}").json()["type"] == "file"
    assert client.get(f"/links/{file_link['token']}/items").status_code == 404
    visit = client.post(f"/links/{file_link['token']}/unlock").json()
    assert visit["type"] == "file" and visit["fileName"] == file["fileName"]
    assert client.post(f"/links/{file_link['token']}/download").status_code == 200
