"""Moves never make a cycle, never half-apply, and a move that died is finished by the next."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from app.folders import service
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
        assert tree.pending_move(owner.user_id) is None


def test_a_move_that_died_half_way_is_finished_by_the_next_change(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    a, target = mkdir(owner, "A")["folderId"], mkdir(owner, "T")["folderId"]
    b = mkdir(owner, "B", parent=a)["folderId"]
    c = mkdir(owner, "C", parent=b)["folderId"]
    # The move's transaction landed, then its request died before the folders below moved.
    moved = tree.start_move(tree.get_folder(a), tree.get_folder(target))
    assert moved is not None and tree.get_folder(c).ancestors == (a, b)
    assert tree.pending_move(owner.user_id) == a
    # Any later change of the owner's tree finishes it first.
    mkdir(owner, "unrelated")
    assert tree.get_folder(b).ancestors == (target, a)
    assert tree.get_folder(c).ancestors == (target, a, b)
    assert tree.pending_move(owner.user_id) is None
    path = client.get(f"/folders/{c}", headers=owner.headers).json()["path"]
    assert [step["folderId"] for step in path] == [target, a, b]


def test_a_delete_that_died_half_way_is_finished_by_the_next_change(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir
) -> None:
    top = mkdir(owner, "Top")["folderId"]
    inner = mkdir(owner, "Inner", parent=top)["folderId"]
    client.post(f"/folders/{top}/share", json={"email": recipient.email}, headers=owner.headers)
    assert tree.delete_folder(tree.get_folder(top), "2026-12-05T00:00:00.000000Z")
    assert tree.get_folder(inner).purging is False  # the request died here
    service.finish_pending_move(owner.user_id)
    assert tree.get_folder(inner).purging is True
    assert client.get(f"/folders/{inner}", headers=recipient.headers).status_code == 404


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
