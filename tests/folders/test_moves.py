"""Moves never make a cycle, never half-apply, and a move that died is finished by the next."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from app.retention import repository as retention
from app.tree import repository as tree
from tests.conftest import ApiUser
from tests.folders.conftest import Mkdir, items, names


def _no_cycle(folder_id: str) -> None:
    seen = set()
    current = tree.get_folder(folder_id)
    while current is not None and current.parent_id is not None:
        assert current.folder_id not in seen, "cycle"
        seen.add(current.folder_id)
        current = tree.get_folder(current.parent_id)


@pytest.mark.usefixtures("atomic_dynamodb")
def test_crossing_moves_cannot_make_a_cycle(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    for _ in range(5):
        a = mkdir(owner, "A")["folderId"]
        c = mkdir(owner, "C", parent=mkdir(owner, "B")["folderId"])["folderId"]
        b = tree.get_folder(c).parent_id

        def move(folder: str, target: str) -> int:
            body = {"parentId": target}
            return client.patch(f"/folders/{folder}", json=body, headers=owner.headers).status_code

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(move, (a, b), (c, a)))
        assert sorted(answers) in ([200, 409], [200, 503]), answers
        for folder in (a, b, c):
            _no_cycle(folder)
        assert tree.current_lease(owner.user_id) is None


def _dead_lease(owner: ApiUser, folder: str) -> tree.Lease:
    """A lease its request took long ago and never gave back."""
    lease = tree.take_lease(owner.user_id, folder, int(time.time()) - tree.LEASE_SECONDS - 1)
    assert lease is not None
    return lease


def test_a_move_that_died_half_way_is_finished_by_the_next_change(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    a, target = mkdir(owner, "A")["folderId"], mkdir(owner, "T")["folderId"]
    b = mkdir(owner, "B", parent=a)["folderId"]
    c = mkdir(owner, "C", parent=b)["folderId"]
    # The move's request took the lease and moved the folder, then died.
    _dead_lease(owner, a)
    assert tree.move_folder(tree.get_folder(a), tree.get_folder(target)) is not None
    assert tree.get_folder(c).ancestors == (a, b)
    # Any later change of the owner's tree finishes it first.
    mkdir(owner, "unrelated")
    assert tree.get_folder(b).ancestors == (target, a)
    assert tree.get_folder(c).ancestors == (target, a, b)
    assert tree.current_lease(owner.user_id) is None
    path = client.get(f"/folders/{c}", headers=owner.headers).json()["path"]
    assert [step["folderId"] for step in path] == [target, a, b]


def test_a_delete_that_died_half_way_is_finished_by_the_next_change(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir
) -> None:
    top = mkdir(owner, "Top")["folderId"]
    inner = mkdir(owner, "Inner", parent=top)["folderId"]
    other = mkdir(owner, "Other")["folderId"]
    client.post(f"/folders/{top}/share", json={"email": recipient.email}, headers=owner.headers)
    _dead_lease(owner, top)
    folder = tree.get_folder(top)
    assert retention.trash(
        top,
        owner.user_id,
        now="2026-12-05T00:00:00.000000Z",
        purge_at=2_000_000_000,
        condition="#v = :v",
        values={":v": folder.version},
    )
    assert tree.get_folder(inner).purging is False  # the request died here
    moved = client.patch(f"/folders/{other}", json={"name": "x"}, headers=owner.headers)
    assert moved.status_code == 200  # a rename needs no lease
    assert client.delete(f"/folders/{other}", headers=owner.headers).status_code == 204
    assert tree.get_folder(inner).hidden_by == top
    assert client.get(f"/folders/{inner}", headers=recipient.headers).status_code == 404


def test_a_restore_that_died_half_way_is_finished_by_the_next_change(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir, put_file
) -> None:
    top = mkdir(owner, "Top")["folderId"]
    inner = mkdir(owner, "Inner", parent=top)["folderId"]
    file_id = put_file(owner, inner, "a.txt")["fileId"]
    client.post(f"/folders/{top}/share", json={"email": recipient.email}, headers=owner.headers)
    client.delete(f"/folders/{top}", headers=owner.headers)
    folder = tree.get_folder(top)
    _dead_lease(owner, top)
    place = {
        "parentId": None,
        "ancestors": [],
        "gsi1pk": f"FOLDERS#{owner.user_id}",
        "gsi1sk": f"{folder.created_at}#{top}",
        "gsi2pk": tree.parent_partition(owner.user_id, None),
        "gsi2sk": tree.folder_sort_key(folder.name, top),
    }
    assert retention.restore(
        top, trashed_at=folder.trashed_at, purge_at=folder.purge_at, place=place, checks=[]
    )
    assert tree.get_folder(inner).hidden_by == top  # the request died here
    assert client.post("/folders", json={"name": "x"}, headers=owner.headers).status_code == 201
    assert tree.get_folder(inner).hidden_by is None
    assert client.get(f"/files/{file_id}", headers=recipient.headers).status_code == 200
    listed = client.get("/files", headers=owner.headers).json()["items"]
    assert [f["fileId"] for f in listed] == [file_id]


def test_a_live_lease_makes_other_changes_wait_then_answer_503(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    folder = mkdir(owner, "A")["folderId"]
    lease = tree.take_lease(owner.user_id, folder, int(time.time()))
    assert lease is not None
    busy = client.post("/folders", json={"name": "B"}, headers=owner.headers)
    assert busy.status_code == 503 and "Retry-After" in busy.headers
    move = client.patch(f"/folders/{folder}", json={"parentId": None}, headers=owner.headers)
    assert move.status_code == 200  # already there: nothing to change, no lease needed
    tree.release_lease(owner.user_id, lease)
    assert client.post("/folders", json={"name": "B"}, headers=owner.headers).status_code == 201


def test_a_move_of_a_big_tree_lands_whole(client: TestClient, owner: ApiUser, mkdir: Mkdir) -> None:
    src, dst = mkdir(owner, "src")["folderId"], mkdir(owner, "dst")["folderId"]
    parents = [src]
    for level in range(3):
        parents = [
            mkdir(owner, f"{level}-{i}", parent=p)["folderId"] for p in parents for i in range(2)
        ]
    moved = client.patch(f"/folders/{src}", json={"parentId": dst}, headers=owner.headers)
    assert moved.status_code == 200
    for leaf in parents:
        assert tree.get_folder(leaf).ancestors[:2] == (dst, src)
    assert names(items(client, owner, dst)) == ["src"]
    assert "src" not in names(items(client, owner, "root"))


def test_moving_to_where_it_already_is_changes_nothing(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    a = mkdir(owner, "A")["folderId"]
    b = mkdir(owner, "B", parent=a)["folderId"]
    before = tree.get_folder(b)
    assert (
        client.patch(f"/folders/{b}", json={"parentId": a}, headers=owner.headers).status_code
        == 200
    )
    assert tree.get_folder(b) == before
