"""Folder items in DynamoDB, and the tree index (item shapes live only here).

`FOLDER#<folderId> / META`: a folder. `ancestors` lists the ids of the folders above it, the
highest first, so one read of a folder tells its whole path: a reader's access check is one
BatchGetItem of share keys over that path, whatever the depth. `version` grows with every
change of its place (moves, and the ancestors of a moved subtree) and is the condition of
every write that depends on where the folder is.

The tree index, gsi2: every folder and file sits under `IN#<parentId>` (top level:
`IN#ROOT#<ownerId>`), folders as `D#<folded name>#<id>` (by name), files as
`F#<createdAt>#<id>` (newest first when read backwards), so a folder's page is at most two
Queries that read one item past the page. gsi1 lists an owner's folders (`FOLDERS#<ownerId>`).

`USER#<ownerId> / TREELEASE`: the owner's tree lease, held by the one request that moves or
deletes a folder of theirs, from before its first write until every folder below has its new
ancestors (or is marked `purging`). Folder creations check it is free (in their transaction),
moves and deletes take it; a lease whose request died (past `until`) is finished by the next
one: its folder's item already says where it is, and the folders below follow it again.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from app import db

MAX_DEPTH = 20
LEASE_SECONDS = 30  # longer than any API request lives (the API Lambda's timeout: 15 s)
_SORT_NAME_CHARS = 200  # sort keys stay well under DynamoDB's 1,024 bytes


@dataclass(frozen=True)
class FolderRecord:
    folder_id: str
    owner_id: str
    name: str
    parent_id: str | None
    ancestors: tuple[str, ...]
    created_at: str
    version: int = 0
    # Deleted (in the trash, or going for good), or below a deleted folder: gone for readers.
    purging: bool = False
    hidden_by: str | None = None  # the deleted folder whose delete took it (its own id: itself)
    trashed_at: str | None = None
    purge_at: int | None = None
    deleting: bool = False

    @property
    def subject_id(self) -> str:
        """Its id as sharing and links know it (`app.access.subjects`)."""
        return self.folder_id

    @property
    def linkable(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        """1 for a top-level folder."""
        return len(self.ancestors) + 1

    @property
    def path_ids(self) -> tuple[str, ...]:
        """Its ancestors and itself, the highest first."""
        return (*self.ancestors, self.folder_id)


@dataclass(frozen=True)
class Children:
    """One page of a folder's items: raw rows (folders and files) and where to go on."""

    items: list[dict[str, Any]]
    cursor: dict[str, Any] | None


@dataclass(frozen=True)
class Child:
    kind: str  # "folder" | "file"
    item_id: str
    sort_key: str = ""  # its gsi2sk


@dataclass
class Subtree:
    """The folders below one folder, top-down: (id, parent id, depth below it; children: 1)."""

    folders: list[tuple[str, str, int]] = field(default_factory=list)
    hidden: dict[str, str] = field(default_factory=dict)  # folder id: the delete that hid it

    @property
    def height(self) -> int:
        return max((depth for _, _, depth in self.folders), default=0)


def key(folder_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"FOLDER#{folder_id}"}, "sk": {"S": "META"}}


def _lease_key(owner_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"USER#{owner_id}"}, "sk": {"S": "TREELEASE"}}


def parent_partition(owner_id: str, parent_id: str | None) -> str:
    return f"IN#{parent_id}" if parent_id else f"IN#ROOT#{owner_id}"


def folder_sort_key(name: str, folder_id: str) -> str:
    return f"D#{name.casefold()[:_SORT_NAME_CHARS]}#{folder_id}"


def file_sort_key(created_at: str, file_id: str) -> str:
    return f"F#{created_at}#{file_id}"


def file_place(owner_id: str, folder_id: str | None, created_at: str, file_id: str) -> dict:
    """The tree attributes of a file item (plain values, for db.to_item)."""
    return {
        "folderId": folder_id,
        "gsi2pk": parent_partition(owner_id, folder_id),
        "gsi2sk": file_sort_key(created_at, file_id),
    }


def _to_record(values: dict[str, Any]) -> FolderRecord:
    return FolderRecord(
        folder_id=values["folderId"],
        owner_id=values["ownerId"],
        name=values["name"],
        parent_id=values.get("parentId"),
        ancestors=tuple(values.get("ancestors") or ()),
        created_at=values["createdAt"],
        version=int(values.get("version", 0)),
        purging=bool(values.get("purging", False)),
        hidden_by=values["purging"] if isinstance(values.get("purging"), str) else None,
        trashed_at=values.get("trashedAt"),
        purge_at=values.get("purgeAt"),
        deleting="deleting" in values,
    )


def _table() -> str:
    return db.table_name()


def get_folder(folder_id: str) -> FolderRecord | None:
    with db.call():
        answer = db.dynamodb().get_item(TableName=_table(), Key=key(folder_id), ConsistentRead=True)
    values = db.from_item(answer.get("Item"))
    return _to_record(values) if values else None


def get_folders(folder_ids: Iterable[str]) -> dict[str, FolderRecord]:
    """The folders that exist among `folder_ids` (consistent BatchGetItem, 100 a call)."""
    keys = (key(folder_id) for folder_id in dict.fromkeys(folder_ids))
    records = (_to_record(db.from_item(item) or {}) for item in db.batch_get(keys, consistent=True))
    return {record.folder_id: record for record in records}


def _item(record: FolderRecord) -> dict[str, Any]:
    return key(record.folder_id) | db.to_item(
        {
            "folderId": record.folder_id,
            "ownerId": record.owner_id,
            "name": record.name,
            "parentId": record.parent_id,
            "ancestors": list(record.ancestors),
            "createdAt": record.created_at,
            "version": record.version,
            "gsi1pk": f"FOLDERS#{record.owner_id}",
            "gsi1sk": f"{record.created_at}#{record.folder_id}",
            "gsi2pk": parent_partition(record.owner_id, record.parent_id),
            "gsi2sk": folder_sort_key(record.name, record.folder_id),
        }
    )


def unchanged(folder: FolderRecord) -> dict[str, Any]:
    """A transaction check that `folder` still is where it was read (not moved, not deleted)."""
    return {
        "ConditionCheck": {
            "TableName": _table(),
            "Key": key(folder.folder_id),
            "ConditionExpression": "#v = :v",
            "ExpressionAttributeNames": {"#v": "version"},
            "ExpressionAttributeValues": db.to_values({":v": folder.version}),
        }
    }


def _lease_free(owner_id: str) -> dict[str, Any]:
    return {
        "ConditionCheck": {
            "TableName": _table(),
            "Key": _lease_key(owner_id),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def _transact(items: list[dict[str, Any]]) -> bool:
    with db.call(db.TRANSACTION_CANCELED) as write:
        db.dynamodb().transact_write_items(TransactItems=items)
    return write.refused is None


def create_folder(record: FolderRecord, parent: FolderRecord | None) -> bool:
    """Write a new folder under `parent` as it was read; False when the parent moved or went,
    or a move of the owner's is in progress (read again and retry)."""
    put = {
        "Put": {
            "TableName": _table(),
            "Item": _item(record),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }
    checks = [unchanged(parent)] if parent else []
    return _transact([put, *checks, _lease_free(record.owner_id)])


def rename_folder(folder_id: str, name: str) -> FolderRecord | None:
    with db.call(db.CONDITION_FAILED) as write:
        answer = db.dynamodb().update_item(
            TableName=_table(),
            Key=key(folder_id),
            UpdateExpression="SET #name = :name, gsi2sk = :sk",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={"#name": "name"},
            ExpressionAttributeValues=db.to_values(
                {":name": name, ":sk": folder_sort_key(name, folder_id)}
            ),
            ReturnValues="ALL_NEW",
        )
    return None if write.refused else _to_record(db.from_item(answer["Attributes"]) or {})


def move_folder(folder: FolderRecord, target: FolderRecord | None) -> FolderRecord | None:
    """Put `folder` under `target` (None: the top level), conditional on the folder being as
    it was read; None when it was not. The caller holds the owner's tree lease."""
    ancestors = target.path_ids if target else ()
    moved = replace(
        folder,
        parent_id=target.folder_id if target else None,
        ancestors=ancestors,
        version=folder.version + 1,
    )
    values = {
        ":parent": moved.parent_id,
        ":anc": list(ancestors),
        ":place": parent_partition(folder.owner_id, moved.parent_id),
        ":next": moved.version,
        ":v": folder.version,
    }
    expression = "SET parentId = :parent, ancestors = :anc, gsi2pk = :place, #v = :next"
    if moved.parent_id is None:  # top level: no parentId attribute at all
        expression = "SET ancestors = :anc, gsi2pk = :place, #v = :next REMOVE parentId"
        del values[":parent"]
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().update_item(
            TableName=_table(),
            Key=key(folder.folder_id),
            UpdateExpression=expression,
            ConditionExpression="#v = :v",
            ExpressionAttributeNames={"#v": "version"},
            ExpressionAttributeValues=db.to_values(values),
        )
    return None if write.refused else moved


@dataclass(frozen=True)
class Lease:
    """The owner's tree lease: who holds it, for which folder, until when (epoch s)."""

    lease_id: str
    folder_id: str
    until: int


def take_lease(owner_id: str, folder_id: str, now: int) -> Lease | None:
    """Take the owner's tree lease for a move or delete of `folder_id`; None when another
    request holds it. Folder creations check it is free (`create_folder`)."""
    lease = Lease(secrets.token_hex(8), folder_id, now + LEASE_SECONDS)
    item = _lease_key(owner_id) | db.to_item(
        {"leaseId": lease.lease_id, "folderId": folder_id, "until": lease.until}
    )
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().put_item(
            TableName=_table(), Item=item, ConditionExpression="attribute_not_exists(pk)"
        )
    return None if write.refused else lease


def current_lease(owner_id: str) -> Lease | None:
    with db.call():
        answer = db.dynamodb().get_item(
            TableName=_table(), Key=_lease_key(owner_id), ConsistentRead=True
        )
    values = db.from_item(answer.get("Item"))
    if not values:
        return None
    return Lease(values["leaseId"], values["folderId"], int(values["until"]))


def release_lease(owner_id: str, lease: Lease) -> None:
    """Give the lease back (only that one: a lease taken over by another is left alone)."""
    with db.call(db.CONDITION_FAILED):
        db.dynamodb().delete_item(
            TableName=_table(),
            Key=_lease_key(owner_id),
            ConditionExpression="leaseId = :id",
            ExpressionAttributeValues=db.to_values({":id": lease.lease_id}),
        )


def mark_purging(deleted_id: str, folder_ids: list[str]) -> None:
    """Take the folders below a deleted one out of every reader's reach (the purge deletes
    them): each only while its path still runs through the deleted folder."""
    _update_each(
        {
            "TableName": _table(),
            "Key": key(folder_id),
            "UpdateExpression": "SET purging = :yes ADD #v :one",
            "ConditionExpression": "contains(ancestors, :deleted)",
            "ExpressionAttributeNames": {"#v": "version"},
            "ExpressionAttributeValues": db.to_values(
                {":yes": True, ":one": 1, ":deleted": deleted_id}
            ),
        }
        for folder_id in folder_ids
    )


def _set_ancestors(folder_id: str, parent_id: str, ancestors: tuple[str, ...]) -> dict[str, Any]:
    return {
        "TableName": _table(),
        "Key": key(folder_id),
        "UpdateExpression": "SET ancestors = :anc ADD #v :one",
        "ConditionExpression": "parentId = :parent",
        "ExpressionAttributeNames": {"#v": "version"},
        "ExpressionAttributeValues": db.to_values(
            {":anc": list(ancestors), ":one": 1, ":parent": parent_id}
        ),
    }


def set_ancestors(paths: dict[str, tuple[str, tuple[str, ...]]]) -> None:
    """Give folders their new paths: `{folderId: (parentId, ancestors)}`, each only while its
    parent is still the one the path was computed from (an index row that lagged behind a
    move, or a folder deleted meanwhile, is skipped)."""
    _update_each(
        _set_ancestors(folder_id, parent_id, ancestors)
        for folder_id, (parent_id, ancestors) in paths.items()
    )


def _update_each(updates: Iterable[dict[str, Any]]) -> None:
    """Conditional updates one by one, skipping any whose condition fails (a folder deleted
    meanwhile). Each is idempotent, and the owner's tree lease keeps them from racing."""
    for update in updates:
        with db.call(db.CONDITION_FAILED):
            db.dynamodb().update_item(**update)


def delete_folder_item(folder_id: str) -> None:
    with db.call():
        db.dynamodb().delete_item(TableName=_table(), Key=key(folder_id))


def _children_query(partition: str, prefix: str, forward: bool) -> dict[str, Any]:
    return {
        "IndexName": "gsi2",
        "KeyConditionExpression": "gsi2pk = :pk AND begins_with(gsi2sk, :kind)",
        "ExpressionAttributeValues": db.to_values({":pk": partition, ":kind": prefix}),
        "ScanIndexForward": forward,
    }


def _files_query(partition: str, now: int) -> dict[str, Any]:
    query = _children_query(partition, "F#", False)
    query["FilterExpression"] = LIVE_FILES
    query["ExpressionAttributeNames"] = {"#status": "status"}
    query["ExpressionAttributeValues"] |= db.to_values({":pending": "pending", ":now": now})
    return query


# What lists of files show: no pending upload whose window closed, no file past its expiry.
LIVE_FILES = (
    "(#status <> :pending OR expiresAt > :now) AND (attribute_not_exists(expiry) OR expiry > :now)"
)
_INDEX_KEY = ("pk", "sk", "gsi2pk", "gsi2sk")


def _index_key(item: dict[str, Any]) -> dict[str, str]:
    return {name: item[name]["S"] for name in _INDEX_KEY}


def _start(partition: str, key: Any) -> dict[str, Any] | None:
    if not isinstance(key, dict) or set(key) != set(_INDEX_KEY):
        raise ValueError("not a key")
    if not all(isinstance(key[n], str) for n in _INDEX_KEY) or key["gsi2pk"] != partition:
        raise ValueError("not a key of this folder")
    return {name: {"S": key[name]} for name in _INDEX_KEY}


def list_children(partition: str, limit: int, cursor: dict[str, Any] | None, now: int) -> Children:
    """One page of what sits in `partition`: folders by name, then files newest first.

    Reads at most `limit` + 1 items: the folders of the page, then (when they run out) just
    enough files, one past the page. `cursor` is a previous page's; ValueError if it is not
    one of this folder's.
    """
    phase = "D" if cursor is None else cursor.get("phase")
    start = None
    if cursor is not None:
        if phase not in ("D", "F"):
            raise ValueError("not a cursor")
        start = None if cursor.get("key") is None else _start(partition, cursor["key"])
    items: list[dict[str, Any]] = []
    if phase == "D":
        folders = db.query_page(_children_query(partition, "D#", True), limit, start)
        items = folders.items
        if folders.last is not None:
            return Children(items, {"phase": "D", "key": _index_key(folders.last)})
        start = None
    room = limit - len(items)
    if room == 0:  # the page is full of folders: one file read says whether more exist
        with db.call():
            probe = db.dynamodb().query(TableName=_table(), **_files_query(partition, now), Limit=1)
        more = probe.get("Items") or probe.get("LastEvaluatedKey")
        return Children(items, {"phase": "F", "key": None} if more else None)
    files = db.query_page(_files_query(partition, now), room, start)
    items = items + files.items
    last = files.last
    return Children(items, {"phase": "F", "key": _index_key(last)} if last else None)


def children(parent_id: str) -> list[Child]:
    """Everything directly in a folder (ids only), for moves and purges."""
    rows = db.query_all(
        {
            "IndexName": "gsi2",
            "KeyConditionExpression": "gsi2pk = :pk",
            "ExpressionAttributeValues": db.to_values({":pk": f"IN#{parent_id}"}),
            "ProjectionExpression": "gsi2sk, folderId, fileId",
        }
    )
    found = []
    for row in rows:
        sort_key = row["gsi2sk"]["S"]
        if sort_key.startswith("D#"):
            found.append(Child("folder", row["folderId"]["S"], sort_key))
        elif "fileId" in row:
            found.append(Child("file", row["fileId"]["S"], sort_key))
    return found


def subtree(owner_id: str, folder_id: str) -> Subtree:
    """Every folder below `folder_id`, parents before children: one paged Query of the owner's
    folders (gsi1) keeping those whose ancestors name it, however deep and wide the tree."""
    rows = db.query_all(
        {
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "FilterExpression": "contains(ancestors, :folder)",
            "ProjectionExpression": "folderId, ancestors, purging",
            "ExpressionAttributeValues": db.to_values(
                {":pk": f"FOLDERS#{owner_id}", ":folder": folder_id}
            ),
        }
    )
    found = []
    hidden = {}
    for row in rows:
        ancestors = [value["S"] for value in row["ancestors"]["L"]]
        depth = len(ancestors) - ancestors.index(folder_id)
        found.append((row["folderId"]["S"], ancestors[-1], depth))
        if "S" in row.get("purging", {}):
            hidden[row["folderId"]["S"]] = row["purging"]["S"]
    found.sort(key=lambda entry: entry[2])
    return Subtree(found, hidden)


def owned_folders_query(owner_id: str) -> dict[str, Any]:
    """The owner's folders on gsi1, newest first (search reads through it)."""
    return {
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :pk",
        "ExpressionAttributeValues": db.to_values({":pk": f"FOLDERS#{owner_id}"}),
        "ScanIndexForward": False,
    }


def record_of(item: dict[str, Any]) -> FolderRecord:
    return _to_record(db.from_item(item) or {})
