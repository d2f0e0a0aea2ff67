"""Folder rules: where folders and files sit, who may browse them, moves without cycles,
deletes that answer at once (the worker purges), "shared with me" and search.

Sync functions (boto3); routes call them through `run_blocking`.
"""

import uuid
from typing import Any

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
from app.tree import access
from app.tree import repository as tree
from app.tree.access import Visible
from app.tree.errors import FolderNotFound, InvalidMove, TooDeep
from app.tree.repository import MAX_DEPTH, FolderRecord

ROOT = "root"  # `GET /folders/root/items`: the caller's top level
_ATTEMPTS = 5  # re-reads after losing a conditional write to a concurrent request


def _busy() -> ServiceUnavailable:
    return ServiceUnavailable("Your folders are being changed by another request; retry.")


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
    for folder_id, parent_id, _ in tree.subtree(moved.folder_id).folders:
        paths[folder_id] = (*paths[parent_id], parent_id)
        tree.set_ancestors(folder_id, paths[folder_id])


def _apply_delete(folder_id: str) -> None:
    """Mark every folder below a deleted one `purging`: out of every reader's reach at once,
    although the worker's purge of their items takes longer (idempotent)."""
    for below, _, _ in tree.subtree(folder_id).folders:
        tree.mark_purging(below)


def _finish(folder_id: str) -> None:
    folder = tree.get_folder(folder_id)
    if folder is None:  # the record is a delete's
        _apply_delete(folder_id)
    else:
        _apply_move(folder)


def finish_pending_move(owner_id: str) -> None:
    """Finish a move or delete whose request stopped half-way (or is still running: same
    result)."""
    folder_id = tree.pending_move(owner_id)
    if folder_id is None:
        return
    _finish(folder_id)
    tree.end_move(owner_id)


# ---------------------------------------------------------------- writes


def create_folder(owner_id: str, body: FolderCreate) -> Folder:
    for _ in range(_ATTEMPTS):
        finish_pending_move(owner_id)
        parent = access.owned(body.parent_id, owner_id) if body.parent_id else None
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
        if tree.create_folder(record, parent):
            return Folder.from_record(record, owner_id)
    raise _busy()


def _move(folder: FolderRecord, parent_id: str | None) -> FolderRecord:
    owner_id = folder.owner_id
    for _ in range(_ATTEMPTS):
        finish_pending_move(owner_id)
        current = tree.get_folder(folder.folder_id)
        if current is None:
            raise FolderNotFound()
        target = access.owned(parent_id, owner_id) if parent_id else None
        if target is not None and current.folder_id in target.path_ids:
            raise InvalidMove()
        if current.parent_id == parent_id:
            return current
        height = tree.subtree(current.folder_id).height
        if (target.depth if target else 0) + 1 + height > MAX_DEPTH:
            raise TooDeep()
        # Conditional on the folder and the target as read, and on no other move of this
        # owner running: concurrent moves cannot make a cycle.
        moved = tree.start_move(current, target)
        if moved is None:
            continue
        _apply_move(moved)
        tree.end_move(owner_id)
        return moved
    raise _busy()


def update_folder(folder_id: str, owner_id: str, body: FolderUpdate) -> Folder:
    folder = access.owned(folder_id, owner_id)
    if body.moves:
        folder = _move(folder, body.parent_id)
    if body.name is not None:
        renamed = tree.rename_folder(folder.folder_id, body.name)
        if renamed is None:
            raise FolderNotFound()
        folder = renamed
    return Folder.from_record(folder, owner_id)


def delete_folder(folder_id: str, owner_id: str) -> None:
    """The folder and every folder below it disappear now; their files' bytes, shares and
    links go in the worker's purge, which gives the quota back."""
    for _ in range(_ATTEMPTS):
        finish_pending_move(owner_id)
        folder = access.owned(folder_id, owner_id)
        if tree.delete_folder(folder, iso(utcnow())):
            _apply_delete(folder.folder_id)
            tree.end_move(owner_id)
            return
    raise _busy()


# ---------------------------------------------------------------- reads


def _path(seen: Visible) -> list[PathStep]:
    ids = seen.visible_ancestors
    names = tree.get_folders(ids)
    return [PathStep(folder_id=i, name=names[i].name) for i in ids if i in names]


def view_folder(folder_id: str, user_id: str) -> FolderView:
    seen = readable(folder_id, user_id)
    return FolderView(folder=Folder.from_record(seen.folder, user_id), path=_path(seen))


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
    found_folders = tree.get_folders(folder_ids)
    found_files = {
        f.file_id: f for f in files.get_files(i for i in page.file_ids if i not in folder_ids)
    }
    items: list[SharedFolderEntry | SharedFileEntry] = []
    # A share can outlive what it shares by the moment between a delete and its purge.
    for subject_id, shared_at in zip(page.file_ids, page.shared_at, strict=True):
        if subject_id in found_folders:
            folder = Folder.from_record(found_folders[subject_id], user_id)
            items.append(SharedFolderEntry(folder=folder, shared_at=shared_at))
        elif subject_id in found_files:
            file = File.from_record(found_files[subject_id], user_id)
            items.append(SharedFileEntry(file=file, shared_at=shared_at))
    return SharedPage(items=items, next_cursor=encode_cursor(page.last_key, scope))
