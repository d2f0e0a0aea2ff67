"""File metadata in DynamoDB (item shapes live only here; see docs/data-model.md).

`FILE#<fileId> / META`: the file, listed per owner through gsi1 (`OWNER#<ownerId>`,
`<createdAt>#<fileId>`), newest first.
`USER#<ownerId> / PENDING#<expiresAt>#<fileId>`: one marker per pending upload that still holds
bytes of the owner's quota; the sort key starts with the expiry, so one Query finds the
expired ones. A marker exists exactly while its file item says `reserved`; every transition
that ends a reservation moves the file item, the marker and the usage counters in one
transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app import db
from app.access.requests import RequestClosed
from app.clock import parse_iso
from app.files import requested
from app.files.requested import UploadedBy
from app.retention.repository import EXPIRY, due_put
from app.tree import repository as tree
from app.tree.errors import FolderNotFound
from app.users import repository as users

PENDING, AVAILABLE, REJECTED = "pending", "available", "rejected"


@dataclass(frozen=True)
class FileRecord:
    file_id: str
    owner_id: str
    file_name: str
    content_type: str
    size: int
    status: str
    created_at: str
    uploaded_at: str | None = None
    has_thumbnail: bool = False
    rejection_reason: str | None = None
    etag: str | None = None
    version_id: str | None = None  # the S3 version verified: downloads serve it, and only it
    upload_id: str | None = None  # set while a multipart upload is open
    expires_at: int | None = None  # epoch seconds the pending upload stops being valid
    reserved: bool = False  # its declared bytes are held against the owner's quota
    marker_sk: str | None = None
    folder_id: str | None = None  # None: the owner's top level
    # The trash (app/trash): the deleted item whose delete took it (its own id when it was
    # deleted itself, a folder's when it sat below one), when and until when.
    hidden_by: str | None = None
    trashed_at: str | None = None
    purge_at: int | None = None
    deleting: bool = False  # going for good: the purge runs
    expiry: int | None = None  # epoch seconds it is deleted for good (API `expiresAt`)
    stored_bytes: int = -1  # bytes of every kept version, the current one included (-1: size)
    version_count: int = 1  # kept versions, the current one included
    uploaded_by: UploadedBy | None = None  # sent through an upload request
    sha256: str | None = None  # the current version's, as its uploader declared it

    def __post_init__(self) -> None:
        if self.stored_bytes < 0:  # only the current version was ever stored
            object.__setattr__(self, "stored_bytes", self.size)

    @property
    def subject_id(self) -> str:
        """Its id as sharing and links know it (`app.access.subjects`)."""
        return self.file_id

    @property
    def linkable(self) -> bool:
        return self.status == AVAILABLE

    @property
    def display_name(self) -> str:
        return self.file_name

    def gone(self, now: float) -> bool:
        """In the trash, going for good, or past its expiry: 404 for everyone, owner included
        (the trash routes show trashed files). Expiry is checked here, on every read, never
        left to the purge being on time."""
        if self.hidden_by is not None or self.deleting:
            return True
        return self.expiry is not None and self.expiry <= now


@dataclass(frozen=True)
class PendingMarker:
    owner_id: str
    sk: str
    file_id: str
    size: int
    next_id: str | None = None  # set when it holds the bytes of a file's pending new version
    uploaded_by: UploadedBy | None = None  # the upload request whose place it holds


LIVE_FILTER = tree.LIVE_FILES


def _key(file_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"FILE#{file_id}"}, "sk": {"S": "META"}}


def owner_partition(owner_id: str) -> str:
    return f"OWNER#{owner_id}"


def _marker_key(owner_id: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": f"USER#{owner_id}"}, "sk": {"S": sk}}


def marker_sk(expires_iso: str, file_id: str) -> str:
    return f"PENDING#{expires_iso}#{file_id}"


def _to_record(values: dict[str, Any]) -> FileRecord:
    return FileRecord(
        file_id=values["fileId"],
        owner_id=values["ownerId"],
        file_name=values["fileName"],
        content_type=values["contentType"],
        size=int(values["size"]),
        status=values["status"],
        created_at=values["createdAt"],
        uploaded_at=values.get("uploadedAt"),
        has_thumbnail=bool(values.get("hasThumbnail", False)),
        rejection_reason=values.get("rejectionReason"),
        etag=values.get("etag"),
        version_id=values.get("versionId"),
        upload_id=values.get("uploadId"),
        expires_at=values.get("expiresAt"),
        reserved=bool(values.get("reserved", False)),
        marker_sk=values.get("markerSk"),
        folder_id=values.get("folderId"),
        hidden_by=_hidden_by(values.get("purging")),
        trashed_at=values.get("trashedAt"),
        purge_at=values.get("purgeAt"),
        deleting="deleting" in values,
        expiry=values.get("expiry"),
        stored_bytes=int(values.get("storedBytes", values["size"])),
        version_count=int(values.get("versionCount", 1)),
        uploaded_by=requested.from_map(values.get("uploadedBy")),
        sha256=values.get("sha256"),
    )


def _hidden_by(purging: Any) -> str | None:
    """`purging` holds the deleted item's id (`True` on items of the first folder deletes)."""
    if purging is None or purging is False:
        return None
    return purging if isinstance(purging, str) else "?"


def record_of(item: dict[str, Any]) -> FileRecord:
    """The file a raw item of a Query holds (folder pages, search)."""
    return _to_record(db.from_item(item) or {})


def owned_files_query(owner_id: str) -> dict[str, Any]:
    """The owner's files on gsi1, newest first (search reads through it)."""
    return {
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :owner",
        "ExpressionAttributeValues": db.to_values({":owner": owner_partition(owner_id)}),
        "ScanIndexForward": False,
    }


def _table() -> str:
    return db.table_name()


def _transact(items: list[dict[str, Any]]) -> bool:
    """Run one transaction; False when a condition (or a concurrent transaction) stopped it."""
    with db.call(db.TRANSACTION_CANCELED) as write:
        db.dynamodb().transact_write_items(TransactItems=items)
    return write.refused is None


def create_pending(record: FileRecord, ttl: int, quota: int) -> bool:
    """Reserve the declared bytes against `quota` and write the pending file and its marker, in
    one transaction; False when the bytes do not fit.

    The file id is new, so a file item already there can only be this very write, landed by an
    attempt whose answer was lost and then retried (DynamoDB's idempotency token answers such a
    retry itself; the condition keeps it exact anywhere): counted once, and a success.
    """
    assert record.marker_sk is not None
    item = _key(record.file_id) | db.to_item(
        {
            "gsi1pk": owner_partition(record.owner_id),
            "gsi1sk": f"{record.created_at}#{record.file_id}",
            "fileId": record.file_id,
            "ownerId": record.owner_id,
            "fileName": record.file_name,
            "contentType": record.content_type,
            "size": record.size,
            "status": PENDING,
            "createdAt": record.created_at,
            "hasThumbnail": False,
            "uploadId": record.upload_id,
            "expiresAt": record.expires_at,
            "reserved": True,
            "markerSk": record.marker_sk,
            "ttl": ttl,
            "expiry": record.expiry,
            "uploadedBy": requested.to_map(record.uploaded_by),
            "sha256": record.sha256,
        }
        | tree.file_place(record.owner_id, record.folder_id, record.created_at, record.file_id)
    )
    marker = _marker_key(record.owner_id, record.marker_sk) | db.to_item(
        {
            "fileId": record.file_id,
            "size": record.size,
            "uploadedBy": requested.to_map(record.uploaded_by),  # its place, should the file go
        }
    )
    new = {"ConditionExpression": "attribute_not_exists(pk)"}
    folder = folder_exists(record.folder_id)
    place = requested.place_taken(record.uploaded_by, parse_iso(record.created_at))
    items = [
        users.usage_change(record.owner_id, bytes_delta=record.size, quota=quota),
        {"Put": {"TableName": _table(), "Item": item, **new}},
        {"Put": {"TableName": _table(), "Item": marker}},
        *folder,
        *place,
        *_due(record),
    ]
    with db.call(db.TRANSACTION_CANCELED) as write:
        db.dynamodb().transact_write_items(TransactItems=items)
    if write.refused is None:
        return True
    failed = [
        r.get("Code") == "ConditionalCheckFailed"
        for r in write.refused.response.get("CancellationReasons", [])
    ]
    at = 3  # the first item after the usage, the file and its marker
    if failed[1:2] == [True]:
        return True
    if place and failed[at + len(folder) : at + len(folder) + 1] == [True]:
        raise RequestClosed()  # full, expired or revoked since the caller read it
    if failed[:1] == [True]:
        return False
    if folder and failed[at : at + 1] == [True]:
        raise FolderNotFound()  # deleted between the caller's check and this write
    raise write.unavailable()


def _due(record: FileRecord) -> list[dict[str, Any]]:
    """The due entry of a file created with an expiry (app/retention/repository.py)."""
    return [] if record.expiry is None else [due_put(record.expiry, EXPIRY, record.file_id)]


def folder_exists(folder_id: str | None) -> list[dict[str, Any]]:
    """A transaction check that the file's folder exists, not deleted (none for the top
    level)."""
    if folder_id is None:
        return []
    check = {
        "TableName": _table(),
        "Key": tree.key(folder_id),
        "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(purging)",
    }
    return [{"ConditionCheck": check}]


def get_file(file_id: str) -> FileRecord | None:
    with db.call():
        answer = db.dynamodb().get_item(TableName=_table(), Key=_key(file_id), ConsistentRead=True)
    values = db.from_item(answer.get("Item"))
    return _to_record(values) if values else None


def get_files(file_ids: Iterable[str]) -> list[FileRecord]:
    """The files that exist among `file_ids`, in the order asked (BatchGetItem, 100 a call)."""
    wanted = list(dict.fromkeys(file_ids))
    items = db.batch_get(_key(file_id) for file_id in wanted)
    found = {record.file_id: record for record in map(record_of, items)}
    return [found[fid] for fid in wanted if fid in found]


def list_owned(
    owner_id: str, limit: int, start_key: dict[str, Any] | None, now: int
) -> tuple[list[FileRecord], dict[str, Any] | None]:
    """Up to `limit` of the owner's files, newest first, without expired pending uploads.

    Reads one item past the page so the cursor is only handed out when more rows exist
    (no empty last page), and keeps querying when the filter thinned a page.
    """
    page = db.query_page(
        {
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :owner",
            "FilterExpression": LIVE_FILTER,
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": db.to_values(
                {":owner": owner_partition(owner_id), ":pending": PENDING, ":now": now}
            ),
            "ScanIndexForward": False,
        },
        limit,
        start_key,
    )
    records = [_to_record(db.from_item(item) or {}) for item in page.items]
    if page.last is None:
        return records, None
    return records, {name: page.last[name]["S"] for name in ("pk", "sk", "gsi1pk", "gsi1sk")}


def start_key_for(owner_id: str, key: dict[str, Any]) -> dict[str, Any] | None:
    """The ExclusiveStartKey for a decoded cursor, or None if it is not one of this owner's."""
    names = ("pk", "sk", "gsi1pk", "gsi1sk")
    if set(key) != set(names) or not all(isinstance(key[n], str) for n in names):
        return None
    if key["gsi1pk"] != owner_partition(owner_id):
        return None
    return {name: {"S": key[name]} for name in names}


def rename(file_id: str, file_name: str) -> FileRecord | None:
    with db.call(db.CONDITION_FAILED) as write:
        answer = db.dynamodb().update_item(
            TableName=_table(),
            Key=_key(file_id),
            UpdateExpression="SET fileName = :name",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues=db.to_values({":name": file_name}),
            ReturnValues="ALL_NEW",
        )
    if write.refused:
        return None
    return _to_record(db.from_item(answer["Attributes"]) or {})


def move(record: FileRecord, folder: "tree.FolderRecord | None") -> bool:
    """Put the file in `folder` (None: the top level), in one transaction with a check that
    the folder still exists; False when it or the file went (or went to the trash)
    meanwhile. A file item has one place, so no reader ever sees it in two."""
    place = tree.file_place(record.owner_id, None, record.created_at, record.file_id)
    values = {":place": place["gsi2pk"], ":sk": place["gsi2sk"]}
    expression = "SET gsi2pk = :place, gsi2sk = :sk REMOVE folderId"
    if folder is not None:
        values = {
            ":place": f"IN#{folder.folder_id}",
            ":sk": place["gsi2sk"],
            ":folder": folder.folder_id,
        }
        expression = "SET gsi2pk = :place, gsi2sk = :sk, folderId = :folder"
    items: list[dict[str, Any]] = [
        {
            "Update": {
                "TableName": _table(),
                "Key": _key(record.file_id),
                "UpdateExpression": expression,
                # Not in the trash, below a deleted folder, nor going for good: a move read
                # before a delete must not give the file a place (gsi2) again.
                "ConditionExpression": (
                    "attribute_exists(pk) AND attribute_not_exists(purging) "
                    "AND attribute_not_exists(deleting)"
                ),
                "ExpressionAttributeValues": db.to_values(values),
            }
        }
    ]
    return _transact(items + folder_exists(folder.folder_id if folder else None))


def set_thumbnail(file_id: str, version_id: str | None = None) -> bool:
    """Record that `thumbnails/<fileId>.jpg` exists, made from `version_id` when given; False
    (nothing written) if the file was deleted or got another current version meanwhile."""
    condition, values = "attribute_exists(pk)", dict[str, Any]({":yes": True})
    if version_id is not None:
        condition, values = "versionId = :version", values | {":version": version_id}
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().update_item(
            TableName=_table(),
            Key=_key(file_id),
            UpdateExpression="SET hasThumbnail = :yes",
            ConditionExpression=condition,
            ExpressionAttributeValues=db.to_values(values),
        )
    return write.refused is None


def delete_version_items(file_id: str) -> str | None:
    """Delete the file's older versions' items and its pending new version (whose reserved
    bytes are given back); idempotent. The file's own item is `transitions.delete`'s.

    Returns the id of the pending version's open multipart upload, for the caller to abort.
    """
    from app.files import version_items  # it builds on this module

    return version_items.delete_all(file_id)
