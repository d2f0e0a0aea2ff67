"""Folders through the API: create, browse, rename, move, delete (API.md "v2 > Folders")."""

from fastapi.testclient import TestClient

from app.tree import repository as tree
from tests.conftest import ApiUser
from tests.folders.conftest import Mkdir, PutFile, items, names


def test_a_folder_is_made_at_the_top_level_or_in_a_folder(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    top = mkdir(owner, "Photos")
    assert top["parentId"] is None and top["ownerId"] == owner.user_id
    assert top["sharedWithMe"] is False and top["folderId"].startswith("fo-")
    inner = mkdir(owner, "2026", parent=top["folderId"])
    view = client.get(f"/folders/{inner['folderId']}", headers=owner.headers).json()
    assert view["folder"] == inner
    assert view["path"] == [{"folderId": top["folderId"], "name": "Photos"}]


def test_a_page_lists_folders_by_name_then_files_newest_first(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    home = mkdir(owner, "Home")["folderId"]
    for name in ("beta", "Alpha", "gamma"):
        mkdir(owner, name, parent=home)
    for name in ("old.txt", "mid.txt", "new.txt"):
        put_file(owner, home, name)
    page = items(client, owner, home)
    assert names(page) == ["Alpha", "beta", "gamma", "new.txt", "mid.txt", "old.txt"]
    assert page["nextCursor"] is None
    assert all(e["file"]["folderId"] == home for e in page["items"] if e["type"] == "file")


def test_pages_follow_the_cursor_across_folders_and_files_without_an_empty_last_page(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    home = mkdir(owner, "Home")["folderId"]
    for name in ("a", "b", "c"):
        mkdir(owner, name, parent=home)
    for name in ("1.txt", "2.txt", "3.txt"):
        put_file(owner, home, name)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = items(client, owner, home, **params)
        seen += names(page)
        pages += 1
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert seen == ["a", "b", "c", "3.txt", "2.txt", "1.txt"] and pages == 2
    page = items(client, owner, home, limit=2)
    second = items(client, owner, home, limit=2, cursor=page["nextCursor"])
    assert names(second) == ["c", "3.txt"]


def test_a_cursor_from_another_folder_is_400(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    one, two = mkdir(owner, "one")["folderId"], mkdir(owner, "two")["folderId"]
    for name in ("x", "y"):
        mkdir(owner, name, parent=one)
    cursor = items(client, owner, one, limit=1)["nextCursor"]
    response = client.get(f"/folders/{two}/items", params={"cursor": cursor}, headers=owner.headers)
    assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"


def test_root_lists_the_callers_top_level_only(
    client: TestClient, owner: ApiUser, stranger: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    top = mkdir(owner, "Top")["folderId"]
    mkdir(owner, "Inner", parent=top)
    put_file(owner, None, "loose.txt")
    put_file(owner, top, "inside.txt")
    mkdir(stranger, "Theirs")
    assert names(items(client, owner, "root")) == ["Top", "loose.txt"]


def test_get_files_still_lists_every_file_newest_first(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    deep = mkdir(owner, "b", parent=mkdir(owner, "a")["folderId"])["folderId"]
    put_file(owner, None, "first.txt")
    put_file(owner, deep, "second.txt")
    listed = client.get("/files", headers=owner.headers).json()["items"]
    assert [f["fileName"] for f in listed] == ["second.txt", "first.txt"]
    assert listed[0]["folderId"] == deep and listed[1]["folderId"] is None


def test_someone_elses_folder_is_404_everywhere(
    client: TestClient, owner: ApiUser, stranger: ApiUser, mkdir: Mkdir
) -> None:
    theirs = mkdir(owner, "Private")["folderId"]
    h = stranger.headers
    answers = [
        client.get(f"/folders/{theirs}", headers=h),
        client.get(f"/folders/{theirs}/items", headers=h),
        client.patch(f"/folders/{theirs}", json={"name": "mine"}, headers=h),
        client.delete(f"/folders/{theirs}", headers=h),
        client.post("/folders", json={"name": "x", "parentId": theirs}, headers=h),
        client.post(
            "/files/upload-url",
            json={"fileName": "a", "contentType": "text/plain", "size": 1, "folderId": theirs},
            headers=h,
        ),
        client.get("/folders/fo-not-a-folder", headers=h),
    ]
    for response in answers:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "folder_not_found"


def test_names_follow_the_file_name_rules(client: TestClient, owner: ApiUser) -> None:
    for bad in ("", "   ", "a/b", "a\\b", ".", "..", "x" * 256, "tab\there"):
        response = client.post("/folders", json={"name": bad}, headers=owner.headers)
        assert response.status_code == 422, bad
        assert response.headers["content-type"] == "application/problem+json"
    ok = client.post("/folders", json={"name": "  padded  "}, headers=owner.headers)
    assert ok.json()["name"] == "padded"


def test_siblings_may_share_a_name(client: TestClient, owner: ApiUser, mkdir: Mkdir) -> None:
    mkdir(owner, "Same")
    mkdir(owner, "Same")
    assert names(items(client, owner, "root")) == ["Same", "Same"]


def test_twenty_levels_and_no_more(client: TestClient, owner: ApiUser, mkdir: Mkdir) -> None:
    parent = None
    for level in range(20):
        parent = mkdir(owner, f"level {level + 1}", parent=parent)["folderId"]
    response = client.post(
        "/folders", json={"name": "21", "parentId": parent}, headers=owner.headers
    )
    assert response.status_code == 409 and response.json()["code"] == "too_deep"
    view = client.get(f"/folders/{parent}", headers=owner.headers).json()
    assert len(view["path"]) == 19


def test_rename_and_move_a_folder(client: TestClient, owner: ApiUser, mkdir: Mkdir) -> None:
    a, b = mkdir(owner, "A")["folderId"], mkdir(owner, "B")["folderId"]
    child = mkdir(owner, "child", parent=a)["folderId"]
    grandchild = mkdir(owner, "grandchild", parent=child)["folderId"]
    moved = client.patch(
        f"/folders/{child}", json={"parentId": b, "name": "renamed"}, headers=owner.headers
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["parentId"] == b and moved.json()["name"] == "renamed"
    assert names(items(client, owner, a)) == []
    assert names(items(client, owner, b)) == ["renamed"]
    path = client.get(f"/folders/{grandchild}", headers=owner.headers).json()["path"]
    assert path == [{"folderId": b, "name": "B"}, {"folderId": child, "name": "renamed"}]
    assert tree.get_folder(grandchild).ancestors == (b, child)
    top = client.patch(f"/folders/{child}", json={"parentId": None}, headers=owner.headers)
    assert top.json()["parentId"] is None
    assert tree.get_folder(grandchild).ancestors == (child,)
    assert tree.current_lease(owner.user_id) is None


def test_a_folder_cannot_move_into_itself_or_below_itself(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    a = mkdir(owner, "A")["folderId"]
    below = mkdir(owner, "below", parent=mkdir(owner, "B", parent=a)["folderId"])["folderId"]
    for target in (a, below):
        response = client.patch(f"/folders/{a}", json={"parentId": target}, headers=owner.headers)
        assert response.status_code == 409 and response.json()["code"] == "invalid_move"
    assert tree.get_folder(a).parent_id is None


def test_a_move_that_would_nest_too_deep_is_refused_whole(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    deep = None
    for level in range(15):
        deep = mkdir(owner, f"d{level}", parent=deep)["folderId"]
    subtree = None
    root = mkdir(owner, "tree")["folderId"]
    subtree = root
    for level in range(5):
        subtree = mkdir(owner, f"t{level}", parent=subtree)["folderId"]
    # `tree` is 6 levels tall: under a folder at depth 15 it would reach 21.
    response = client.patch(f"/folders/{root}", json={"parentId": deep}, headers=owner.headers)
    assert response.status_code == 409 and response.json()["code"] == "too_deep"
    assert tree.get_folder(root).parent_id is None


def test_a_body_that_changes_nothing_is_422(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    folder = mkdir(owner)["folderId"]
    file = put_file(owner)
    for path in (f"/folders/{folder}", f"/files/{file['fileId']}"):
        response = client.patch(path, json={}, headers=owner.headers)
        assert response.status_code == 422, path
    response = client.patch(f"/folders/{folder}", json={"name": None}, headers=owner.headers)
    assert response.status_code == 422


def test_a_file_moves_between_folders_and_to_the_top(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    a, b = mkdir(owner, "A")["folderId"], mkdir(owner, "B")["folderId"]
    file = put_file(owner, a, "doc.txt")
    moved = client.patch(f"/files/{file['fileId']}", json={"folderId": b}, headers=owner.headers)
    assert moved.status_code == 200 and moved.json()["folderId"] == b
    assert names(items(client, owner, a)) == [] and names(items(client, owner, b)) == ["doc.txt"]
    both = client.patch(
        f"/files/{file['fileId']}",
        json={"folderId": None, "fileName": "top.txt"},
        headers=owner.headers,
    )
    assert both.json()["folderId"] is None and both.json()["fileName"] == "top.txt"
    assert "top.txt" in names(items(client, owner, "root"))
    renamed = client.patch(
        f"/files/{file['fileId']}", json={"fileName": "still-top.txt"}, headers=owner.headers
    )
    assert renamed.json()["folderId"] is None


def test_a_file_cannot_move_into_someone_elses_folder(
    client: TestClient, owner: ApiUser, stranger: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    theirs = mkdir(stranger, "Theirs")["folderId"]
    file = put_file(owner)
    response = client.patch(
        f"/files/{file['fileId']}", json={"folderId": theirs}, headers=owner.headers
    )
    assert response.status_code == 404 and response.json()["code"] == "folder_not_found"
    assert client.get(f"/files/{file['fileId']}", headers=owner.headers).json()["folderId"] is None


def test_multipart_uploads_go_into_a_folder_too(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    folder = mkdir(owner)["folderId"]
    body = {
        "fileName": "big.bin",
        "contentType": "application/octet-stream",
        "size": 6 * 1024 * 1024,
        "folderId": folder,
    }
    ticket = client.post("/files/multipart", json=body, headers=owner.headers)
    assert ticket.status_code == 201, ticket.text
    file = client.get(f"/files/{ticket.json()['fileId']}", headers=owner.headers).json()
    assert file["folderId"] == folder
    assert names(items(client, owner, folder)) == ["big.bin"]


def test_an_upload_into_a_deleted_folder_is_refused(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    folder = mkdir(owner)["folderId"]
    client.delete(f"/folders/{folder}", headers=owner.headers)
    body = {"fileName": "late.txt", "contentType": "text/plain", "size": 1, "folderId": folder}
    response = client.post("/files/upload-url", json=body, headers=owner.headers)
    assert response.status_code == 404 and response.json()["code"] == "folder_not_found"
    assert client.get("/users/me", headers=owner.headers).json()["usage"]["bytes"] == 0


def test_files_from_before_folders_are_placed_at_the_top_level_by_the_backfill(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    from app import db
    from app.tree.backfill import backfill

    old = put_file(owner, None, "from-v1.txt")
    key = {"pk": {"S": f"FILE#{old['fileId']}"}, "sk": {"S": "META"}}
    db.dynamodb().update_item(
        TableName=db.table_name(), Key=key, UpdateExpression="REMOVE gsi2pk, gsi2sk, folderId"
    )
    assert names(items(client, owner, "root")) == []
    assert backfill() >= 1
    assert names(items(client, owner, "root")) == ["from-v1.txt"]
    assert backfill() == 0
