"""Folder rules: where folders and files sit, who may browse them, moves without cycles,
deletes that answer at once (the worker purges), "shared with me" and search.

Sync functions (boto3); routes call them through `run_blocking`.
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any, TypeVar

from app.access import shares
from app.access.subjects import FOLDER_ID_PREFIX, is_folder_id
from app.clock import iso, utcnow
from app.errors import ServiceUnavailable
from app.files import repository as files
from app.files.schemas import File
from app.folders.schemas import (
    Entry,
    FileEntry,
    Folder,
    FolderCreate,
    FolderEntry,
    FolderUpdate,
    FolderView,
    ItemPage,
    PathStep,
    SharedFileEntry,
    SharedFolderEntry,
    SharedPage,
)
from app.pagination import InvalidCursor, decode_cursor, encode_cursor
from app.retention import repository as trash
from app.retention.errors import NotInTrash
from app.settings import get_settings
from app.tree import access
from app.tree import repository as tree
from app.tree.access import Visible
from app.tree.errors import FolderNotFound, InvalidMove, TooDeep
from app.tree.repository import MAX_DEPTH, FolderRecord

T = TypeVar("T")
ROOT = "root"  # `GET /folders/root/items`: the caller's top level
_ATTEMPTS = 5  # re-reads after losing a conditional write to a concurrent request


class TreeBusy(ServiceUnavailable):
    """Another request is changing this owner's folders (or a condition found them changed
    before anything was written): retry."""

    detail = "Your folders are being changed by another request; retry."


def _busy() -> TreeBusy:
    return TreeBusy()


def new_folder_id() -> str:
    return f"{FOLDER_ID_PREFIX}{uuid.uuid4()}"


def readable(folder_id: str, user_id: str) -> Visible:
    """The folder as the caller may see it, else 404 `folder_not_found`."""
    folder = access.load(folder_id)
    seen = access.visible(folder, user_id) if folder else None
    if seen is None:
        raise FolderNotFound()
    return seen


# ---------------------------------------------------------------- moves


def _apply_move(moved: FolderRecord) -> None:
    """Give every folder below `moved` its new ancestors, parents first (idempotent)."""
    paths = {moved.folder_id: moved.ancestors}
    below: dict[str, tuple[str, tuple[str, ...]]] = {}
    for folder_id, parent_id, _ in tree.subtree(moved.owner_id, moved.folder_id).folders:
        if parent_id in paths:  # else a row the index has not caught up with: not ours
            paths[folder_id] = (*paths[parent_id], parent_id)
            below[folder_id] = (parent_id, paths[folder_id])
    tree.set_ancestors(below)


def _apply_delete(owner_id: str, folder_id: str) -> None:
    """Mark every folder below a deleted one `purging`: out of every reader's reach at once,
    although the worker's purge of their items takes longer (idempotent)."""
    below = [folder for folder, _, _ in tree.subtree(owner_id, folder_id).folders]
    tree.mark_purging(folder_id, below)


def _apply_trash(owner_id: str, root_id: str) -> None:
    """Mark what is below a folder moved to the trash (`purging = <its id>`): out of every
    reader's reach, files out of their owner's lists (idempotent; a folder or file another
    delete marked is left to that one)."""
    below = tree.subtree(owner_id, root_id)
    folders = [root_id] + [
        folder_id
        for folder_id, _, _ in below.folders
        if below.hidden.get(folder_id, root_id) == root_id
        and trash.hide(folder_id, root_id, "ADD #v :one", "contains(ancestors, :root)", {":one": 1})
    ]
    for folder_id in folders:
        for child in tree.children(folder_id):
            if child.kind == "file":
                trash.hide(
                    child.item_id,
                    root_id,
                    "REMOVE gsi1pk, gsi1sk",
                    "folderId = :folder",
                    {":folder": folder_id},
                )


def _apply_restore(owner_id: str, root_id: str) -> None:
    """Unmark what the delete of `root_id` marked, files back in their owner's lists
    (idempotent)."""
    below = tree.subtree(owner_id, root_id)
    folders = [root_id] + [
        folder_id
        for folder_id, _, _ in below.folders
        if below.hidden.get(folder_id, root_id) == root_id
        and trash.unhide(folder_id, root_id, "ADD #v :one", {":one": 1})
    ]
    listed = files.owner_partition(owner_id)
    for folder_id in folders:
        for child in tree.children(folder_id):
            if child.kind == "file":
                values = {":pk": listed, ":sk": child.sort_key.removeprefix("F#")}
                trash.unhide(child.item_id, root_id, "SET gsi1pk = :pk, gsi1sk = :sk", values)


def _finish(owner_id: str, folder_id: str) -> None:
    """Make what is below `folder_id` agree with its item: where it now is, in the trash (or
    restored from it), or gone."""
    folder = tree.get_folder(folder_id)
    if folder is None:
        _apply_delete(owner_id, folder_id)
    elif folder.hidden_by == folder_id:
        _apply_trash(owner_id, folder_id)
    else:
        _apply_move(folder)
        _apply_restore(owner_id, folder_id)


def finish_dead_lease(owner_id: str, now: int) -> bool:
    """Finish the move or delete of a request that died holding the owner's tree lease.
    Returns whether the tree is free now (False: a live request holds it; retry soon)."""
    lease = tree.current_lease(owner_id)
    if lease is None:
        return True
    if lease.until > now:
        return False
    _finish(owner_id, lease.folder_id)
    tree.release_lease(owner_id, lease)
    return True


def _under_lease(owner_id: str, folder_id: str, change: Callable[[], T]) -> T:
    """Run `change` holding the owner's tree lease: moves and deletes of one owner run one at
    a time, so none decides on a tree another is changing (no cycle), and creations wait.
    A client error (raised before any write) gives the lease back; any other failure keeps
    it, so the change is finished by the next one once the lease runs out."""
    for attempt in range(_ATTEMPTS):
        now = int(utcnow().timestamp())
        free = finish_dead_lease(owner_id, now)
        lease = tree.take_lease(owner_id, folder_id, now) if free else None
        if lease is None:
            time.sleep(0.05 * (attempt + 1))
            continue
        try:
            result = change()
        except (FolderNotFound, InvalidMove, TooDeep, TreeBusy, NotInTrash):
            tree.release_lease(owner_id, lease)
            raise
        tree.release_lease(owner_id, lease)
        return result
    raise _busy()


# ---------------------------------------------------------------- writes


def create_folder(owner_id: str, body: FolderCreate) -> Folder:
    for attempt in range(_ATTEMPTS):
        parent = access.owned(body.parent_id, owner_id) if body.parent_id is not None else None
        if parent is not None and parent.depth >= MAX_DEPTH:
            raise TooDeep()
        record = FolderRecord(
            folder_id=new_folder_id(),
            owner_id=owner_id,
            name=body.name,
            parent_id=parent.folder_id if parent else None,
            ancestors=parent.path_ids if parent else (),
            created_at=iso(utcnow()),
        )
        # Conditional on the parent as read and on no move or delete running.
        if tree.create_folder(record, parent):
            return Folder.from_record(record, owner_id)
        if not finish_dead_lease(owner_id, int(utcnow().timestamp())):
            time.sleep(0.05 * (attempt + 1))
    raise _busy()


def _move(folder_id: str, owner_id: str, parent_id: str | None) -> FolderRecord:
    """Under the lease: read both again, refuse a cycle or too deep a tree, move the folder,
    then every folder below it."""
    current = access.owned(folder_id, owner_id)
    target = _true_path(access.owned(parent_id, owner_id)) if parent_id is not None else None
    if target is not None and current.folder_id in target.path_ids:
        raise InvalidMove()
    if current.parent_id == parent_id:
        return current
    height = tree.subtree(owner_id, folder_id).height
    if (target.depth if target else 0) + 1 + height > MAX_DEPTH:
        raise TooDeep()
    moved = tree.move_folder(current, target)
    if moved is None:  # only a lease taken over (its request ran past it) changes a version
        raise _busy()
    _apply_move(moved)
    return moved


def _true_path(folder: FolderRecord) -> FolderRecord:
    """`folder` with the ancestors its parent pointers give, read consistently (a move decides
    on these, never on an index row or a path that may lag behind): at most 20 reads."""
    chain: list[str] = []
    current = folder
    while current.parent_id is not None:
        if current.parent_id in chain or len(chain) >= MAX_DEPTH:
            raise _busy()  # not a tree as read: let the change in progress finish
        chain.insert(0, current.parent_id)
        parent = tree.get_folder(current.parent_id)
        if parent is None or parent.purging:
            raise FolderNotFound()
        current = parent
    if tuple(chain) == folder.ancestors:
        return folder
    # A path that missed a move (an index row that lagged behind it): put it right.
    tree.set_ancestors({folder.folder_id: (chain[-1], tuple(chain))})
    return replace(folder, ancestors=tuple(chain))


def update_folder(folder_id: str, owner_id: str, body: FolderUpdate) -> Folder:
    folder = access.owned(folder_id, owner_id)
    if body.moves and folder.parent_id != body.parent_id:
        folder = _under_lease(
            owner_id, folder_id, lambda: _move(folder_id, owner_id, body.parent_id)
        )
    if body.name is not None:
        renamed = tree.rename_folder(folder.folder_id, body.name)
        if renamed is None:
            raise FolderNotFound()
        folder = renamed
    return Folder.from_record(folder, owner_id)


def _trash(folder_id: str, owner_id: str) -> None:
    """Under the lease: mark everything below first, the folder itself last. A request that
    dies half way leaves what it marked out of reach (never a live link or upload below a
    folder in the trash, nothing taken along unseen by its purge); the folder is not in the
    trash, and the owner's next tree change unmarks what was marked (`_finish`)."""
    folder = access.owned(folder_id, owner_id)
    _apply_trash(owner_id, folder_id)
    now = utcnow()
    purge_at = now + timedelta(days=get_settings().trash_retention_days)
    if not trash.trash(
        folder_id,
        owner_id,
        now=iso(now),
        purge_at=int(purge_at.timestamp()),
        condition="#v = :v",
        values={":v": folder.version},
    ):
        _apply_restore(owner_id, folder_id)
        raise _busy()


def delete_folder(folder_id: str, owner_id: str) -> None:
    """The folder goes to the trash with everything below it: all of it leaves every list and
    every share and link below answers 404 now, until it is restored or purged."""
    access.owned(folder_id, owner_id)
    _under_lease(owner_id, folder_id, lambda: _trash(folder_id, owner_id))


def _restore(folder_id: str, owner_id: str) -> FolderRecord:
    """Under the lease: put a trashed folder back where it was (at the top level if that
    folder is gone, or would be too deep now), then what is below it."""
    folder = tree.get_folder(folder_id)
    if folder is None or folder.owner_id != owner_id:
        raise NotInTrash()
    if folder.hidden_by != folder_id or folder.deleting:
        raise NotInTrash()
    assert folder.trashed_at is not None and folder.purge_at is not None
    target = _restore_target(folder)
    ancestors = target.path_ids if target else ()
    place = {
        "parentId": target.folder_id if target else None,
        "ancestors": list(ancestors),
        "gsi1pk": f"FOLDERS#{owner_id}",
        "gsi1sk": f"{folder.created_at}#{folder_id}",
        "gsi2pk": tree.parent_partition(owner_id, target.folder_id if target else None),
        "gsi2sk": tree.folder_sort_key(folder.name, folder_id),
    }
    checks = [tree.unchanged(target)] if target else []
    if not trash.restore(
        folder_id,
        trashed_at=folder.trashed_at,
        purge_at=folder.purge_at,
        place=place,
        checks=checks,
        bump=True,
    ):
        fresh = tree.get_folder(folder_id)
        if fresh is None or fresh.deleting or fresh.trashed_at != folder.trashed_at:
            raise NotInTrash()  # a purge won, or another restore did it
        raise _busy()
    restored = replace(
        folder,
        parent_id=target.folder_id if target else None,
        ancestors=ancestors,
        version=folder.version + 1,
        purging=False,
        hidden_by=None,
        trashed_at=None,
        purge_at=None,
    )
    _apply_move(restored)
    _apply_restore(owner_id, folder_id)
    return restored


def _restore_target(folder: FolderRecord) -> FolderRecord | None:
    """Where a restored folder goes: its parent, if it is still there and deep enough room is
    left below it; else the top level."""
    if folder.parent_id is None:
        return None
    parent = tree.get_folder(folder.parent_id)
    if parent is None or parent.purging:
        return None
    try:
        target = _true_path(parent)
    except FolderNotFound:
        return None
    if target is not parent:  # its stored path was put right: read its new version
        target = tree.get_folder(parent.folder_id) or target
    height = tree.subtree(folder.owner_id, folder.folder_id).height
    return target if target.depth + 1 + height <= MAX_DEPTH else None


def restore_folder(folder_id: str, owner_id: str) -> Folder:
    restored = _under_lease(owner_id, folder_id, lambda: _restore(folder_id, owner_id))
    return Folder.from_record(restored, owner_id)


# ---------------------------------------------------------------- reads


def _path(seen: Visible) -> list[PathStep]:
    ids = seen.visible_ancestors
    names = tree.get_folders(ids)
    return [PathStep(folder_id=i, name=names[i].name) for i in ids if i in names]


def view_folder(folder_id: str, user_id: str) -> FolderView:
    seen = readable(folder_id, user_id)
    folder = Folder.from_record(seen.folder, user_id)
    if not seen.visible_ancestors and seen.folder.owner_id != user_id:
        folder.parent_id = None  # what is above a shared folder is not the recipient's to see
    return FolderView(folder=folder, path=_path(seen))


def entry(item: dict[str, Any], viewer_id: str) -> Entry:
    if item["sk"]["S"] == "META" and item["pk"]["S"].startswith("FOLDER#"):
        return FolderEntry(folder=Folder.from_record(tree.record_of(item), viewer_id))
    return FileEntry(file=File.from_record(files.record_of(item), viewer_id))


def list_items(folder_id: str, user_id: str, limit: int, cursor: str | None) -> ItemPage:
    """One page of a folder (or the caller's top level): folders by name, files newest first."""
    if folder_id == ROOT:
        partition = tree.parent_partition(user_id, None)
    else:
        partition = tree.parent_partition(user_id, readable(folder_id, user_id).folder.folder_id)
    scope = f"items:{partition}"
    try:
        page = tree.list_children(
            partition, limit, decode_cursor(cursor, scope), int(utcnow().timestamp())
        )
    except ValueError as exc:
        raise InvalidCursor() from exc
    return ItemPage(
        items=[entry(item, user_id) for item in page.items],
        next_cursor=encode_cursor(page.cursor, scope),
    )


def shared_with_me(user_id: str, limit: int, cursor: str | None) -> SharedPage:
    """Files and folders others shared with the caller, most recently shared first."""
    scope = f"shared:{user_id}"
    page = shares.shared_with(user_id, limit, decode_cursor(cursor, scope))
    folder_ids = [i for i in page.file_ids if is_folder_id(i)]
    found_files = {
        f.file_id: f for f in files.get_files(i for i in page.file_ids if i not in folder_ids)
    }
    # A share outlives what it shares until the purge: a deleted folder, one below it, or a
    # file in one, is left out (one read of the folders concerned).
    places = {f.folder_id for f in found_files.values() if f.folder_id is not None}
    found_folders = {
        i: f for i, f in tree.get_folders([*folder_ids, *places]).items() if not f.purging
    }
    items: list[SharedFolderEntry | SharedFileEntry] = []
    now = utcnow().timestamp()
    for subject_id, shared_at in zip(page.file_ids, page.shared_at, strict=True):
        if subject_id in found_folders:
            folder = Folder.from_record(found_folders[subject_id], user_id)
            folder.parent_id = None  # above what was shared: not the recipient's to see
            items.append(SharedFolderEntry(folder=folder, shared_at=shared_at))
        elif subject_id in found_files:
            record = found_files[subject_id]
            if record.folder_id is not None and record.folder_id not in found_folders:
                continue
            if record.gone(now):
                continue
            file = File.from_record(record, user_id)
            file.folder_id = None
            items.append(SharedFileEntry(file=file, shared_at=shared_at))
    return SharedPage(items=items, next_cursor=encode_cursor(page.last_key, scope))
