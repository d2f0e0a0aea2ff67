"""What a delete, a lagging index or a stale path must not let through (a review's findings)."""

from fastapi.testclient import TestClient

from app.tree import repository as tree
from app.tree.repository import Child
from tests.conftest import ApiUser
from tests.folders.conftest import Mkdir, PutFile, names, run_purges


def test_links_to_and_below_a_deleted_folder_stop_at_once(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    top = mkdir(owner, "L")["folderId"]
    sub = mkdir(owner, "S", parent=top)["folderId"]
    file = put_file(owner, sub, "f.txt")
    folder_link = client.post(
        f"/folders/{top}/links", json={"expiresIn": 600}, headers=owner.headers
    ).json()["token"]
    file_link = client.post(
        f"/files/{file['fileId']}/links", json={"expiresIn": 600}, headers=owner.headers
    ).json()["token"]
    assert client.delete(f"/folders/{top}", headers=owner.headers).status_code == 204
    for response in (
        client.get(f"/links/{folder_link}"),
        client.get(f"/links/{folder_link}/items", params={"folderId": sub}),
        client.post(f"/links/{folder_link}/download", json={"fileId": file["fileId"]}),
        client.get(f"/links/{file_link}"),
        client.post(f"/links/{file_link}/download"),
    ):
        assert response.status_code == 404, response.request.url


def test_shared_with_me_leaves_out_what_sits_below_a_deleted_folder(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    top = mkdir(owner, "Top")["folderId"]
    sub = mkdir(owner, "Sub", parent=top)["folderId"]
    file = put_file(owner, top, "in-top.txt")
    for path in (f"/folders/{sub}/share", f"/files/{file['fileId']}/share"):
        client.post(path, json={"email": recipient.email}, headers=owner.headers)
    listed = client.get("/shared", headers=recipient.headers).json()["items"]
    assert {e["type"] for e in listed} == {"file", "folder"}
    assert all(e.get("folder", {}).get("parentId") is None for e in listed)
    assert all(e.get("file", {}).get("folderId") is None for e in listed)
    client.delete(f"/folders/{top}", headers=owner.headers)
    assert client.get("/shared", headers=recipient.headers).json()["items"] == []
    assert names(client.get("/search", params={"q": "sub"}, headers=owner.headers).json()) == []


def test_a_recipient_sees_no_id_above_the_shared_folder(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir
) -> None:
    above = mkdir(owner, "Above")["folderId"]
    shared = mkdir(owner, "Shared", parent=above)["folderId"]
    client.post(f"/folders/{shared}/share", json={"email": recipient.email}, headers=owner.headers)
    view = client.get(f"/folders/{shared}", headers=recipient.headers).json()
    assert view["folder"]["parentId"] is None and view["path"] == []
    assert (
        client.get(f"/folders/{shared}", headers=owner.headers).json()["folder"]["parentId"]
        == above
    )


def test_the_purge_spares_what_was_moved_out_while_the_index_lagged(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile, monkeypatch
) -> None:
    doomed = mkdir(owner, "Doomed")["folderId"]
    kept_folder = mkdir(owner, "Kept", parent=doomed)["folderId"]
    kept_file = put_file(owner, doomed, "kept.txt")
    for body, path in (
        ({"parentId": None}, f"/folders/{kept_folder}"),
        ({"folderId": None}, f"/files/{kept_file['fileId']}"),
    ):
        assert client.patch(path, json=body, headers=owner.headers).status_code == 200
    client.delete(f"/folders/{doomed}", headers=owner.headers)
    real = tree.children

    def lagging(parent_id: str) -> list[Child]:
        extra = [Child("folder", kept_folder), Child("file", kept_file["fileId"])]
        return real(parent_id) + (extra if parent_id == doomed else [])

    monkeypatch.setattr(tree, "children", lagging)
    assert run_purges([doomed]) == {"batchItemFailures": []}
    assert client.get(f"/files/{kept_file['fileId']}", headers=owner.headers).status_code == 200
    assert client.get(f"/folders/{kept_folder}", headers=owner.headers).status_code == 200


def test_a_lagging_index_row_does_not_pull_a_folder_back_under_its_old_parent(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, monkeypatch
) -> None:
    old_parent = mkdir(owner, "M")["folderId"]
    moved_out = mkdir(owner, "Z", parent=old_parent)["folderId"]
    elsewhere = mkdir(owner, "T")["folderId"]
    client.patch(f"/folders/{moved_out}", json={"parentId": None}, headers=owner.headers)
    real = tree.subtree

    def lagging(owner_id: str, folder_id: str) -> tree.Subtree:
        found = real(owner_id, folder_id)
        if folder_id == old_parent:  # Z's row still says it is under M
            found.folders.append((moved_out, old_parent, 1))
        return found

    monkeypatch.setattr(tree, "subtree", lagging)
    client.patch(f"/folders/{old_parent}", json={"parentId": elsewhere}, headers=owner.headers)
    assert tree.get_folder(moved_out).ancestors == ()


def test_a_move_into_a_folder_whose_path_lagged_uses_its_true_path(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    a = mkdir(owner, "A")["folderId"]
    c = mkdir(owner, "C", parent=a)["folderId"]
    b = mkdir(owner, "B")["folderId"]
    client.patch(f"/folders/{a}", json={"parentId": b}, headers=owner.headers)
    # As if the move had missed C (created just before it): C's stored path is stale.
    tree.set_ancestors({c: (a, (a,))})
    assert tree.get_folder(c).ancestors == (a,)
    cycle = client.patch(f"/folders/{b}", json={"parentId": c}, headers=owner.headers)
    assert cycle.status_code == 409 and cycle.json()["code"] == "invalid_move"
    assert tree.get_folder(c).ancestors == (b, a)  # put right by the check


def test_an_empty_parent_id_is_no_folder_not_the_top_level(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    folder = mkdir(owner, "F", parent=mkdir(owner, "P")["folderId"])["folderId"]
    for response in (
        client.post("/folders", json={"name": "x", "parentId": ""}, headers=owner.headers),
        client.patch(f"/folders/{folder}", json={"parentId": ""}, headers=owner.headers),
    ):
        assert response.status_code == 404 and response.json()["code"] == "folder_not_found"


def test_unlock_leaves_out_what_the_link_kind_does_not_have(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    folder = mkdir(owner)["folderId"]
    token = client.post(
        f"/folders/{folder}/links", json={"expiresIn": 600}, headers=owner.headers
    ).json()["token"]
    visit = client.post(f"/links/{token}/unlock").json()
    assert set(visit) == {"key", "expiresIn", "type", "name", "expiresAt", "folderId"}
