"""Trash rules: list, restore, delete for good, empty; and what is due (trash past its 30
days, files past their expiry) going for good.

Deleting moves a file (`app.files.service.trash_file`) or a folder
(`app.folders.service.delete_folder`) here. Going for good is decided by one conditional
transaction that marks the item `deleting` and writes its purge job (`app.retention.repository`),
so a restore and a purge never both win: whichever writes first, the other finds the item
changed. The purge itself (`app.trash.purge`) runs in the worker, and for one file at once.

Sync functions (boto3); routes call them through `run_blocking`, the worker calls them directly.
"""

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from app import db
from app.access.subjects import is_file_id, is_folder_id
from app.clock import iso, utcnow
from app.files import repository as files
from app.files.schemas import File
from app.folders import service as folders
from app.folders.schemas import FileEntry, Folder, FolderEntry
from app.pagination import InvalidCursor, decode_cursor, encode_cursor
from app.retention import repository as repo
from app.retention.errors import NotInTrash
from app.trash import purge
from app.trash.schemas import Restored, TrashedFile, TrashedFolder, TrashEntry, TrashPage
from app.tree import repository as tree
from app.tree.access import is_folder_id as is_folder_id_form

log = logging.getLogger("sharebox.trash")
_ATTEMPTS = 4
DUE_BATCH = 100  # due entries one turn reads (a minute's worth on a busy day)


def _iso_epoch(epoch: int) -> str:
    return iso(datetime.fromtimestamp(epoch, UTC))


def _entry(item: dict[str, Any], owner_id: str) -> TrashEntry:
    values = db.from_item(item) or {}
    trashed_at, purge_at = values["trashedAt"], _iso_epoch(int(values["purgeAt"]))
    if item["pk"]["S"].startswith("FOLDER#"):
        folder = Folder.from_record(tree.record_of(item), owner_id)
        return TrashedFolder(folder=folder, trashed_at=trashed_at, purge_at=purge_at)
    file = File.from_record(files.record_of(item), owner_id)
    return TrashedFile(file=file, trashed_at=trashed_at, purge_at=purge_at)


_KEY = ("pk", "sk", "gsi1pk", "gsi1sk")


def list_trash(owner_id: str, limit: int, cursor: str | None) -> TrashPage:
    """What the owner deleted (not what was inside it), most recently deleted first: O(page)."""
    scope = f"trash:{owner_id}"
    start = None
    decoded = decode_cursor(cursor, scope)
    if decoded is not None:
        if set(decoded) != set(_KEY) or not all(isinstance(decoded[n], str) for n in _KEY):
            raise InvalidCursor()
        if decoded["gsi1pk"] != repo.trash_partition(owner_id):
            raise InvalidCursor()
        start = {name: {"S": decoded[name]} for name in _KEY}
    page = db.query_page(repo.trash_query(owner_id), limit, start)
    last = {n: page.last[n]["S"] for n in _KEY} if page.last else None
    return TrashPage(
        items=[_entry(item, owner_id) for item in page.items],
        next_cursor=encode_cursor(last, scope),
    )


def _valid_id(item_id: str) -> bool:
    return is_file_id(item_id) or is_folder_id_form(item_id)


def restore(owner_id: str, item_id: str) -> Restored:
    """Put a trashed file or folder back where it was (the top level if its folder is gone),
    with its shares and links live again."""
    if not _valid_id(item_id):
        raise NotInTrash()
    if is_folder_id(item_id):
        return FolderEntry(folder=folders.restore_folder(item_id, owner_id))
    return FileEntry(file=File.from_record(_restore_file(owner_id, item_id), owner_id))


def _restore_file(owner_id: str, file_id: str) -> files.FileRecord:
    for _ in range(_ATTEMPTS):
        record = files.get_file(file_id)
        if record is None or record.owner_id != owner_id:
            raise NotInTrash()
        if record.hidden_by != file_id or record.deleting:
            raise NotInTrash()
        assert record.trashed_at is not None and record.purge_at is not None
        folder = tree.get_folder(record.folder_id) if record.folder_id else None
        place_id = folder.folder_id if folder is not None and not folder.purging else None
        place = {
            "gsi1pk": files.owner_partition(owner_id),
            "gsi1sk": f"{record.created_at}#{file_id}",
            **tree.file_place(owner_id, place_id, record.created_at, file_id),
        }
        if repo.restore(
            file_id,
            trashed_at=record.trashed_at,
            purge_at=record.purge_at,
            place=place,
            checks=files.folder_exists(place_id),
        ):
            return replace(
                record, folder_id=place_id, hidden_by=None, trashed_at=None, purge_at=None
            )
        # Its folder went meanwhile (read again: the top level then), or a purge won.
    raise NotInTrash()


def _trashed(owner_id: str, item_id: str) -> dict[str, Any]:
    """The raw item of something in the owner's trash (not already going), else 404."""
    item = repo.get_item(item_id) if _valid_id(item_id) else None
    values = db.from_item(item) or {}
    if values.get("ownerId") != owner_id or values.get("purging") != item_id:
        raise NotInTrash()
    if "deleting" in values or "trashedAt" not in values:
        raise NotInTrash()
    return values


def delete_for_good(owner_id: str, item_id: str) -> None:
    """Gone for good: a file at once (every version, thumbnail, shares, links; its bytes stop
    counting), a folder's contents in the worker's purge (it leaves the trash now)."""
    values = _trashed(owner_id, item_id)
    if not repo.delete_for_good(
        item_id,
        owner_id,
        trashed_at=values["trashedAt"],
        purge_at=int(values["purgeAt"]),
        now=iso(utcnow()),
    ):
        raise NotInTrash()  # restored, or already going, meanwhile
    if not is_folder_id(item_id):
        purge.run(item_id)


def empty(owner_id: str) -> None:
    """Everything in the trash now goes for good, in the background (the worker)."""
    repo.empty_trash_job(owner_id, iso(utcnow()))


def run_due(now: datetime | None = None) -> int:
    """Send for good what is due: trash past its days, files past their expiry. A file is
    purged at once (so it is gone within the minute), a folder by its job. Returns how many
    items went. The worker runs it once a minute (EventBridge), `make run`'s poller often."""
    moment = now or utcnow()
    stamp, epoch = iso(moment), int(moment.timestamp())
    went = 0
    for due in repo.due_now(epoch, DUE_BATCH):
        values = db.from_item(repo.get_item(due.item_id)) or {}
        owner_id = values.get("ownerId", "")
        if due.kind == repo.TRASH:
            sent = values.get("purgeAt") == due.at and repo.delete_for_good(
                due.item_id,
                owner_id,
                trashed_at=values.get("trashedAt", ""),
                purge_at=due.at,
                now=stamp,
            )
        else:
            sent = bool(values) and repo.expire(due.item_id, owner_id, at=due.at, now=stamp)
        if not sent:
            repo.drop_due(due)  # restored, expiry moved, or already gone
            continue
        went += 1
        log.info("due", extra={"itemId": due.item_id, "kind": due.kind})
        if not is_folder_id(due.item_id):
            purge.run(due.item_id)
    return went
