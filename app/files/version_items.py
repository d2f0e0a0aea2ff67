"""A file's older versions and its pending new version in DynamoDB (item shapes live only here).

`FILE#<fileId> / V#<uploadedAt>#<versionId>`: one older version that is kept (its S3 version
of `uploads/<fileId>` holds the bytes); the sort key orders them oldest first.
`FILE#<fileId> / NEXT`: the new version being uploaded (or copied, by a restore), at most one
at a time; while it holds a reservation, a marker `USER#<ownerId> / PENDING#...` (with its
`nextId`) holds its bytes against the quota, exactly as a pending file's does.
The current version stays on the file's own item (`app/files/repository.py`).
"""

from dataclasses import dataclass
from typing import Any

from app import db
from app.files.repository import PENDING, FileRecord, _marker_key, _table, _transact
from app.users import repository as users

KEPT_PREFIX = "V#"
NULL_VERSION = "null"  # S3's id of an object stored before the bucket had versioning
MAX_VERSIONS = 20  # kept per file, the current one included


@dataclass(frozen=True)
class KeptVersion:
    version_id: str
    size: int
    content_type: str
    etag: str | None
    uploaded_at: str
    sha256: str | None = None  # as its uploader declared it

    @property
    def sk(self) -> str:
        return f"{KEPT_PREFIX}{self.uploaded_at}#{self.version_id}"


def current_version(record: FileRecord) -> KeptVersion:
    """The file's current version, as it is kept once another one replaces it."""
    return KeptVersion(
        version_id=record.version_id or NULL_VERSION,
        size=record.size,
        content_type=record.content_type,
        etag=record.etag,
        uploaded_at=record.uploaded_at or record.created_at,
        sha256=record.sha256,
    )


@dataclass(frozen=True)
class NextVersion:
    file_id: str
    owner_id: str
    next_id: str  # tells this pending version from one that replaced it
    size: int
    content_type: str
    status: str  # pending | rejected
    created_at: str
    expires_at: int  # epoch seconds its upload window closes
    marker_sk: str
    reserved: bool = True  # its bytes are held against the owner's quota
    upload_id: str | None = None  # an open multipart upload
    rejection_reason: str | None = None
    sha256: str | None = None  # as its uploader declared it (a restore: the copied version's)


def file_pk(file_id: str) -> dict[str, Any]:
    return {"S": f"FILE#{file_id}"}


def next_key(file_id: str) -> dict[str, Any]:
    return {"pk": file_pk(file_id), "sk": {"S": "NEXT"}}


def kept_key(file_id: str, version: KeptVersion) -> dict[str, Any]:
    return {"pk": file_pk(file_id), "sk": {"S": version.sk}}


def get_next(file_id: str) -> NextVersion | None:
    with db.call():
        answer = db.dynamodb().get_item(
            TableName=_table(), Key=next_key(file_id), ConsistentRead=True
        )
    values = db.from_item(answer.get("Item"))
    if not values:
        return None
    return NextVersion(
        file_id=values["fileId"],
        owner_id=values["ownerId"],
        next_id=values["nextId"],
        size=int(values["size"]),
        content_type=values["contentType"],
        status=values["status"],
        created_at=values["createdAt"],
        expires_at=int(values["expiresAt"]),
        marker_sk=values.get("markerSk", ""),
        reserved=bool(values.get("reserved", False)),
        upload_id=values.get("uploadId"),
        rejection_reason=values.get("rejectionReason"),
        sha256=values.get("sha256"),
    )


def kept_versions(file_id: str) -> list[KeptVersion]:
    """The file's older kept versions, newest first (one Query: at most 19 items)."""
    items = db.query_all(
        {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": file_pk(file_id), ":prefix": {"S": KEPT_PREFIX}},
            "ScanIndexForward": False,
            "ConsistentRead": True,
        }
    )
    versions = []
    for item in items:
        values = db.from_item(item) or {}
        versions.append(
            KeptVersion(
                version_id=values["versionId"],
                size=int(values["size"]),
                content_type=values["contentType"],
                etag=values.get("etag"),
                uploaded_at=values["uploadedAt"],
                sha256=values.get("sha256"),
            )
        )
    return versions


def put_kept(file_id: str, version: KeptVersion) -> dict[str, Any]:
    item = kept_key(file_id, version) | db.to_item(
        {
            "versionId": version.version_id,
            "size": version.size,
            "contentType": version.content_type,
            "etag": version.etag,
            "uploadedAt": version.uploaded_at,
            "sha256": version.sha256,
        }
    )
    return {"Put": {"TableName": _table(), "Item": item}}


def delete_kept(file_id: str, version: KeptVersion) -> dict[str, Any]:
    key = kept_key(file_id, version)
    return {
        "Delete": {"TableName": _table(), "Key": key, "ConditionExpression": "attribute_exists(pk)"}
    }


def put_next(pending: NextVersion, ttl: int, replacing: NextVersion | None) -> dict[str, Any]:
    """Put the pending version, unless another than `replacing` (None: none) is there."""
    item = next_key(pending.file_id) | db.to_item(
        {
            "fileId": pending.file_id,
            "ownerId": pending.owner_id,
            "nextId": pending.next_id,
            "size": pending.size,
            "contentType": pending.content_type,
            "status": PENDING,
            "createdAt": pending.created_at,
            "expiresAt": pending.expires_at,
            "markerSk": pending.marker_sk,
            "reserved": True,
            "uploadId": pending.upload_id,
            "ttl": ttl,
            "sha256": pending.sha256,
        }
    )
    put: dict[str, Any] = {"TableName": _table(), "Item": item}
    if replacing is None:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        put["ConditionExpression"] = "nextId = :previous"
        put["ExpressionAttributeValues"] = db.to_values({":previous": replacing.next_id})
    return {"Put": put}


def put_marker(pending: NextVersion) -> dict[str, Any]:
    item = _marker_key(pending.owner_id, pending.marker_sk) | db.to_item(
        {"fileId": pending.file_id, "size": pending.size, "nextId": pending.next_id}
    )
    return {"Put": {"TableName": _table(), "Item": item}}


def drop_marker(pending: NextVersion) -> dict[str, Any]:
    key = _marker_key(pending.owner_id, pending.marker_sk)
    return {"Delete": {"TableName": _table(), "Key": key}}


def _next_as_read(pending: NextVersion) -> tuple[str, dict[str, Any]]:
    """The condition that the pending version is the one read, with its reservation as read."""
    values: dict[str, Any] = {":next": pending.next_id, ":status": pending.status}
    condition = "nextId = :next AND #status = :status"
    if pending.reserved:
        condition += " AND reserved = :yes"
        values[":yes"] = True
    else:
        condition += " AND attribute_not_exists(reserved)"
    return condition, values


def _give_back(pending: NextVersion) -> list[dict[str, Any]]:
    """Its reservation given back (transaction items), if it holds one."""
    if not pending.reserved:
        return []
    return [drop_marker(pending), users.usage_change(pending.owner_id, bytes_delta=-pending.size)]


def delete_next(pending: NextVersion) -> list[dict[str, Any]]:
    """Delete the pending version as read, giving its reservation back (transaction items)."""
    condition, values = _next_as_read(pending)
    items: list[dict[str, Any]] = [
        {
            "Delete": {
                "TableName": _table(),
                "Key": next_key(pending.file_id),
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": db.to_values(values),
            }
        }
    ]
    return items + _give_back(pending)


def update_next(pending: NextVersion, update: str, more: dict[str, Any]) -> list[dict[str, Any]]:
    """Update the pending version as read (`update` then its reservation removed), giving the
    reservation back (transaction items)."""
    condition, values = _next_as_read(pending)
    items: list[dict[str, Any]] = [
        {
            "Update": {
                "TableName": _table(),
                "Key": next_key(pending.file_id),
                "UpdateExpression": f"{update} REMOVE reserved, markerSk, uploadId".strip(),
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": db.to_values(values | more),
            }
        }
    ]
    return items + _give_back(pending)


def delete_all(file_id: str) -> str | None:
    """Every kept version's item, and the pending version with its reservation given back;
    returns the pending version's open multipart upload id, if it had one."""
    upload_id = None
    for _ in range(4):
        pending = get_next(file_id)
        if pending is None:
            break
        if _transact(delete_next(pending)):
            upload_id = pending.upload_id if pending.status == PENDING else None
            break
    db.delete_prefixed(f"FILE#{file_id}", [KEPT_PREFIX])
    return upload_id
