"""The trash through the API: delete moves to it, restore puts back, delete-for-good and empty
free the quota; shares and links are dead while something is in the trash."""

from datetime import timedelta

from fastapi.testclient import TestClient

from app.aws import client as aws_client
from app.clock import parse_iso, utcnow
from app.retention import repository as trash_repo
from app.settings import get_settings
from app.tree import repository as tree
from tests.conftest import ApiUser
from tests.trash.conftest import items, names, run_jobs, trash_ids, usage


def _share(client: TestClient, owner: ApiUser, kind: str, item_id: str, email: str) -> None:
    response = client.post(f"/{kind}/{item_id}/share", json={"email": email}, headers=owner.headers)
    assert response.status_code == 201, response.text


def _link(client: TestClient, owner: ApiUser, file_id: str) -> str:
    response = client.post(
        f"/files/{file_id}/links", json={"expiresIn": 3600}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def _versions(file_id: str) -> list[dict]:
    listed = aws_client("s3").list_object_versions(
        Bucket=get_settings().bucket_name, Prefix=f"uploads/{file_id}"
    )
    return [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]


def test_a_deleted_file_leaves_every_list_and_its_shares_and_links_until_restored(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir, put_file
) -> None:
    folder = mkdir(owner, "Docs")["folderId"]
    file = put_file(owner, folder, "report.txt", b"12345")
    file_id = file["fileId"]
    _share(client, owner, "files", file_id, recipient.email)
    token = _link(client, owner, file_id)

    assert client.delete(f"/files/{file_id}", headers=owner.headers).status_code == 204

    assert client.get(f"/files/{file_id}", headers=owner.headers).status_code == 404
    assert client.get(f"/files/{file_id}", headers=recipient.headers).status_code == 404
    assert client.get(f"/links/{token}").status_code == 404
    assert client.post(f"/links/{token}/download", json={}).status_code == 404
    assert file_id not in [
        f["fileId"] for f in client.get("/files", headers=owner.headers).json()["items"]
    ]
    assert names(items(client, owner, folder)) == []
    assert (
        client.get("/search", params={"q": "report"}, headers=owner.headers).json()["items"] == []
    )
    assert client.get("/shared", headers=recipient.headers).json()["items"] == []
    assert usage(client, owner)["bytes"] == 5  # its bytes still count
    assert client.delete(f"/files/{file_id}", headers=owner.headers).status_code == 404

    listed = client.get("/trash", headers=owner.headers).json()["items"]
    assert [entry["type"] for entry in listed] == ["file"]
    entry = listed[0]
    assert entry["file"]["fileId"] == file_id and entry["file"]["folderId"] == folder
    kept = parse_iso(entry["purgeAt"]) - parse_iso(entry["trashedAt"])
    assert timedelta(days=30) - timedelta(seconds=2) < kept <= timedelta(days=30)

    restored = client.post(f"/trash/{file_id}/restore", headers=owner.headers)
    assert restored.status_code == 200, restored.text
    assert restored.json()["type"] == "file"
    assert restored.json()["file"]["folderId"] == folder
    assert names(items(client, owner, folder)) == ["report.txt"]
    assert client.get(f"/files/{file_id}", headers=recipient.headers).status_code == 200
    assert client.post(f"/links/{token}/download", json={}).status_code == 200
    assert trash_ids(client, owner) == []
    assert client.post(f"/trash/{file_id}/restore", headers=owner.headers).status_code == 404


def test_a_file_whose_folder_is_gone_is_restored_at_the_top_level(
    client: TestClient, owner: ApiUser, mkdir, put_file
) -> None:
    folder = mkdir(owner, "Docs")["folderId"]
    file_id = put_file(owner, folder, "a.txt")["fileId"]
    client.delete(f"/files/{file_id}", headers=owner.headers)
    client.delete(f"/folders/{folder}", headers=owner.headers)  # the folder to the trash too

    restored = client.post(f"/trash/{file_id}/restore", headers=owner.headers).json()
    assert restored["file"]["folderId"] is None
    assert names(items(client, owner, "root")) == ["a.txt"]
    assert trash_ids(client, owner) == [folder]


def test_a_deleted_folder_takes_everything_below_it_and_restore_brings_it_all_back(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir, put_file
) -> None:
    top = mkdir(owner, "Top")["folderId"]
    inner = mkdir(owner, "Inner", parent=top)["folderId"]
    a = put_file(owner, top, "a.txt", b"12")["fileId"]
    b = put_file(owner, inner, "b.txt", b"345")["fileId"]
    _share(client, owner, "folders", inner, recipient.email)
    assert client.get(f"/files/{b}", headers=recipient.headers).status_code == 200

    assert client.delete(f"/folders/{top}", headers=owner.headers).status_code == 204

    assert trash_ids(client, owner) == [top]  # what was deleted, not what was inside it
    assert client.get("/files", headers=owner.headers).json()["items"] == []
    assert client.get("/search", params={"q": "txt"}, headers=owner.headers).json()["items"] == []
    for gone in (top, inner):
        assert client.get(f"/folders/{gone}", headers=owner.headers).status_code == 404
    for user in (owner, recipient):
        assert client.get(f"/files/{b}", headers=user.headers).status_code == 404
    assert client.get(f"/folders/{inner}/items", headers=recipient.headers).status_code == 404
    assert client.get("/shared", headers=recipient.headers).json()["items"] == []
    assert names(items(client, owner, "root")) == []
    assert usage(client, owner) == {"files": 2, "bytes": 5}
    assert (
        client.post(
            "/folders", json={"name": "x", "parentId": inner}, headers=owner.headers
        ).status_code
        == 404
    )

    restored = client.post(f"/trash/{top}/restore", headers=owner.headers)
    assert restored.status_code == 200, restored.text
    assert restored.json()["folder"]["parentId"] is None
    assert names(items(client, owner, "root")) == ["Top"]
    assert names(items(client, owner, top)) == ["Inner", "a.txt"]
    listed = {f["fileId"] for f in client.get("/files", headers=owner.headers).json()["items"]}
    assert listed == {a, b}
    assert client.get(f"/files/{b}", headers=recipient.headers).status_code == 200
    assert trash_ids(client, owner) == []


def test_a_folder_deleted_before_its_parent_stays_in_the_trash_when_the_parent_comes_back(
    client: TestClient, owner: ApiUser, mkdir, put_file
) -> None:
    top = mkdir(owner, "Top")["folderId"]
    inner = mkdir(owner, "Inner", parent=top)["folderId"]
    deep = mkdir(owner, "Deep", parent=inner)["folderId"]
    put_file(owner, deep, "d.txt")
    client.delete(f"/folders/{inner}", headers=owner.headers)
    client.delete(f"/folders/{top}", headers=owner.headers)
    assert trash_ids(client, owner) == [top, inner]

    client.post(f"/trash/{top}/restore", headers=owner.headers)
    assert names(items(client, owner, top)) == []
    assert client.get(f"/folders/{deep}", headers=owner.headers).status_code == 404
    assert client.get("/files", headers=owner.headers).json()["items"] == []

    back = client.post(f"/trash/{inner}/restore", headers=owner.headers).json()["folder"]
    assert back["parentId"] == top
    assert names(items(client, owner, deep)) == ["d.txt"]
    assert len(client.get("/files", headers=owner.headers).json()["items"]) == 1


def test_a_folder_whose_parent_is_in_the_trash_is_restored_at_the_top_level_with_its_tree(
    client: TestClient, owner: ApiUser, mkdir, put_file
) -> None:
    top = mkdir(owner, "Top")["folderId"]
    inner = mkdir(owner, "Inner", parent=top)["folderId"]
    deep = mkdir(owner, "Deep", parent=inner)["folderId"]
    client.delete(f"/folders/{inner}", headers=owner.headers)
    client.delete(f"/folders/{top}", headers=owner.headers)

    back = client.post(f"/trash/{inner}/restore", headers=owner.headers).json()["folder"]
    assert back["parentId"] is None
    assert tree.get_folder(deep).ancestors == (inner,)
    path = client.get(f"/folders/{deep}", headers=owner.headers).json()["path"]
    assert [step["folderId"] for step in path] == [inner]


def test_delete_for_good_frees_the_quota_and_every_stored_version_at_once(
    client: TestClient, owner: ApiUser, recipient: ApiUser, put_file
) -> None:
    file_id = put_file(owner, None, "a.txt", b"12345")["fileId"]
    _share(client, owner, "files", file_id, recipient.email)
    client.delete(f"/files/{file_id}", headers=owner.headers)

    assert client.delete(f"/trash/{file_id}", headers=owner.headers).status_code == 204

    assert usage(client, owner) == {"files": 0, "bytes": 0}
    assert _versions(file_id) == []
    assert trash_ids(client, owner) == []
    assert trash_repo.jobs().count(file_id) == 0
    assert client.post(f"/trash/{file_id}/restore", headers=owner.headers).status_code == 404
    assert client.delete(f"/trash/{file_id}", headers=owner.headers).status_code == 404
    assert client.get("/files/shared", headers=recipient.headers).json()["items"] == []


def test_delete_for_good_of_a_folder_purges_everything_below_it_in_the_worker(
    client: TestClient, owner: ApiUser, mkdir, put_file
) -> None:
    top = mkdir(owner, "Top")["folderId"]
    inner = mkdir(owner, "Inner", parent=top)["folderId"]
    files = [
        put_file(owner, top, "a.txt", b"12")["fileId"],
        put_file(owner, inner, "b.txt", b"3")["fileId"],
    ]
    keep = put_file(owner, None, "keep.txt", b"1")["fileId"]
    client.delete(f"/folders/{top}", headers=owner.headers)

    assert client.delete(f"/trash/{top}", headers=owner.headers).status_code == 204
    assert trash_ids(client, owner) == []  # it leaves the trash at once
    assert top in trash_repo.jobs()
    assert run_jobs() >= 1

    assert tree.get_folder(top) is None and tree.get_folder(inner) is None
    assert all(_versions(file_id) == [] for file_id in files)
    assert usage(client, owner) == {"files": 1, "bytes": 1}
    assert client.get(f"/files/{keep}", headers=owner.headers).status_code == 200


def test_emptying_the_trash_runs_in_the_background_and_spares_the_rest(
    client: TestClient, owner: ApiUser, mkdir, put_file
) -> None:
    folder = mkdir(owner, "F")["folderId"]
    put_file(owner, folder, "in.txt", b"12")
    loose = put_file(owner, None, "loose.txt", b"345")["fileId"]
    keep = put_file(owner, None, "keep.txt", b"6")["fileId"]
    client.delete(f"/folders/{folder}", headers=owner.headers)
    client.delete(f"/files/{loose}", headers=owner.headers)

    assert client.delete("/trash", headers=owner.headers).status_code == 202
    run_jobs()

    assert trash_ids(client, owner) == []
    assert usage(client, owner) == {"files": 1, "bytes": 1}
    assert client.get(f"/files/{keep}", headers=owner.headers).status_code == 200


def test_the_trash_pages_newest_first_and_its_cursor_is_the_owners(
    client: TestClient, owner: ApiUser, stranger: ApiUser, put_file
) -> None:
    ids = [put_file(owner, None, f"{i}.txt")["fileId"] for i in range(3)]
    for file_id in ids:
        client.delete(f"/files/{file_id}", headers=owner.headers)
    first = client.get("/trash", params={"limit": 2}, headers=owner.headers).json()
    assert [e["file"]["fileId"] for e in first["items"]] == ids[::-1][:2]
    cursor = first["nextCursor"]
    rest = client.get("/trash", params={"limit": 2, "cursor": cursor}, headers=owner.headers).json()
    assert [e["file"]["fileId"] for e in rest["items"]] == ids[:1] and rest["nextCursor"] is None
    foreign = client.get("/trash", params={"cursor": cursor}, headers=stranger.headers)
    assert foreign.status_code == 400


def test_someone_elses_trash_is_not_found_and_bad_ids_are_404(
    client: TestClient, owner: ApiUser, stranger: ApiUser, put_file
) -> None:
    file_id = put_file(owner, None, "a.txt")["fileId"]
    client.delete(f"/files/{file_id}", headers=owner.headers)
    for user in (stranger,):
        assert client.post(f"/trash/{file_id}/restore", headers=user.headers).status_code == 404
        assert client.delete(f"/trash/{file_id}", headers=user.headers).status_code == 404
    for bad in ("nope", "fo-nope", "fo-" + "0" * 36):
        response = client.post(f"/trash/{bad}/restore", headers=owner.headers)
        assert response.status_code == 404 and response.json()["code"] == "not_in_trash"
    assert trash_ids(client, stranger) == []
    assert trash_ids(client, owner) == [file_id]


def test_a_pending_upload_is_deleted_for_good_not_trashed(
    client: TestClient, owner: ApiUser
) -> None:
    body = {"fileName": "a.txt", "contentType": "text/plain", "size": 5}
    file_id = client.post("/files/upload-url", json=body, headers=owner.headers).json()["fileId"]
    assert usage(client, owner)["bytes"] == 5
    assert client.delete(f"/files/{file_id}", headers=owner.headers).status_code == 204
    assert trash_ids(client, owner) == [] and usage(client, owner)["bytes"] == 0


def test_the_trash_routes_need_a_token(client: TestClient) -> None:
    for method, path in (("GET", "/trash"), ("DELETE", "/trash"), ("POST", "/trash/x/restore")):
        assert client.request(method, path).status_code == 401


def test_purge_at_follows_the_configured_retention(
    client: TestClient, owner: ApiUser, put_file
) -> None:
    file_id = put_file(owner, None, "a.txt")["fileId"]
    before = utcnow()
    client.delete(f"/files/{file_id}", headers=owner.headers)
    entry = client.get("/trash", headers=owner.headers).json()["items"][0]
    days = get_settings().trash_retention_days
    assert parse_iso(entry["purgeAt"]) >= before + timedelta(days=days) - timedelta(seconds=1)


def test_a_trashed_file_keeps_its_versions_and_takes_no_new_one_until_restored(
    client: TestClient, owner: ApiUser, put_file
) -> None:
    file_id = put_file(owner, None, "a.txt", b"12345")["fileId"]
    client.delete(f"/files/{file_id}", headers=owner.headers)
    body = {"contentType": "text/plain", "size": 3}
    refused = client.post(f"/files/{file_id}/versions", json=body, headers=owner.headers)
    assert refused.status_code == 404
    assert client.get(f"/files/{file_id}/versions", headers=owner.headers).status_code == 404
    client.post(f"/trash/{file_id}/restore", headers=owner.headers)
    versions = client.get(f"/files/{file_id}/versions", headers=owner.headers).json()["items"]
    assert [(v["size"], v["current"]) for v in versions] == [(5, True)]
    assert (
        client.post(f"/files/{file_id}/versions", json=body, headers=owner.headers).status_code
        == 201
    )
