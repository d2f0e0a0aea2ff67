"""Version transitions, each one DynamoDB transaction (as app/files/transitions.py for files).

The file's item, the version items, the quota marker and the usage counters move together,
each conditional on what the caller read, so a version is counted, promoted or dropped exactly
once whoever races (the route, the worker, a redelivered event). False: a condition failed;
the caller reads again.
"""

from enum import Enum
from typing import Any

from app import db
from app.files import version_items as items
from app.files.repository import AVAILABLE, PENDING, REJECTED, FileRecord, _key, _table, _transact
from app.files.storage import Head
from app.files.version_items import NULL_VERSION, KeptVersion, NextVersion
from app.users import repository as users


class Opened(Enum):
    OPENED = "opened"
    OVER_QUOTA = "over_quota"
    FILE_CHANGED = "file_changed"  # gone, or no longer available
    RACED = "raced"  # another pending version was written meanwhile


def _file_available(record: FileRecord) -> dict[str, Any]:
    return {
        "ConditionCheck": {
            "TableName": _table(),
            "Key": _key(record.file_id),
            "ConditionExpression": "#status = :available",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": db.to_values({":available": AVAILABLE}),
        }
    }


def open_next(
    record: FileRecord, pending: NextVersion, replacing: NextVersion | None, ttl: int, quota: int
) -> Opened:
    """Reserve the new version's bytes against `quota` and write it (with its marker) in place
    of `replacing`, whose reservation is given back in the same transaction."""
    freed = replacing.size if replacing is not None and replacing.reserved else 0
    transaction = [
        users.usage_change(record.owner_id, bytes_delta=pending.size - freed, quota=quota),
        _file_available(record),
        items.put_next(pending, ttl, replacing),
        items.put_marker(pending),
    ]
    if freed:
        transaction.append(items.drop_marker(replacing))  # type: ignore[arg-type]
    with db.call(db.TRANSACTION_CANCELED) as write:
        db.dynamodb().transact_write_items(TransactItems=transaction)
    if write.refused is None:
        return Opened.OPENED
    reasons = [r.get("Code") for r in write.refused.response.get("CancellationReasons", [])]
    failed = [n for n, reason in enumerate(reasons) if reason == "ConditionalCheckFailed"]
    if not failed:
        return Opened.RACED  # a concurrent transaction on the same items: read again
    return {0: Opened.OVER_QUOTA, 1: Opened.FILE_CHANGED}.get(failed[0], Opened.RACED)


# The file item's current-version attributes (a new version's thumbnail is still to be made).
_SET_CURRENT = (
    "SET #size = :size, contentType = :type, etag = :etag, versionId = :version, "
    "uploadedAt = :at, hasThumbnail = :no, sha256 = :sha256"
)


def _current_is(
    size: int,
    content_type: str,
    etag: str | None,
    version_id: str | None,
    at: str,
    sha256: str | None,
) -> dict[str, Any]:
    """The values of `_SET_CURRENT` (a version that declared no digest leaves a null one)."""
    return {
        ":size": size,
        ":type": content_type,
        ":etag": etag,
        ":version": version_id or NULL_VERSION,
        ":at": at,
        ":no": False,
        ":sha256": sha256,
    }


def promote(
    record: FileRecord,
    pending: NextVersion,
    landed: Head,
    uploaded_at: str,
    drop: KeptVersion | None,
    quota: int,
) -> bool:
    """The verified new version becomes current; the current one becomes a kept version, and
    `drop` (the oldest, when 20 are kept) goes. Its held reservation becomes usage; a released
    one must fit the quota again."""
    dropped = drop.size if drop else 0
    values: dict[str, Any] = _current_is(
        pending.size,
        pending.content_type,
        landed.etag,
        landed.version_id,
        uploaded_at,
        pending.sha256,
    ) | {
        ":available": AVAILABLE,
        ":old_size": record.size,
        ":stored": pending.size - dropped,
        ":one": 1,
        ":count": 0 if drop else 1,
    }
    condition = "#status = :available AND "
    if record.version_id is None:
        condition += "attribute_not_exists(versionId)"
    else:
        condition += "versionId = :current"
        values[":current"] = record.version_id
    meta = {
        "Update": {
            "TableName": _table(),
            "Key": _key(record.file_id),
            "UpdateExpression": (
                f"{_SET_CURRENT}, "
                "storedBytes = if_not_exists(storedBytes, :old_size) + :stored, "
                "versionCount = if_not_exists(versionCount, :one) + :count"
            ),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#status": "status", "#size": "size"},
            "ExpressionAttributeValues": db.to_values(values),
        }
    }
    transaction = [meta, items.put_kept(record.file_id, items.current_version(record))]
    transaction += _settle_next(pending, quota, bytes_delta=pending.size - dropped)
    if drop is not None:
        transaction.append(items.delete_kept(record.file_id, drop))
    return _transact(transaction)


def _settle_next(pending: NextVersion, quota: int, bytes_delta: int) -> list[dict[str, Any]]:
    """Delete the pending version as read, its bytes (`bytes_delta` more or less) now usage."""
    condition = "nextId = :next AND #status = :pending"
    values: dict[str, Any] = {":next": pending.next_id, ":pending": PENDING}
    if pending.reserved:
        condition += " AND reserved = :yes"
        values[":yes"] = True
        delta = bytes_delta - pending.size  # the reservation already counts its size
        usage = [users.usage_change(pending.owner_id, bytes_delta=delta)] if delta else []
        usage.append(items.drop_marker(pending))
    else:
        condition += " AND attribute_not_exists(reserved)"
        usage = [users.usage_change(pending.owner_id, bytes_delta=bytes_delta, quota=quota)]
    remove = {
        "Delete": {
            "TableName": _table(),
            "Key": items.next_key(pending.file_id),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": db.to_values(values),
        }
    }
    return [remove, *usage]


def reject_next(pending: NextVersion, reason: str) -> bool:
    """pending -> rejected, giving its reservation back; the current version stays."""
    update = "SET #status = :rejected, rejectionReason = :reason"
    more = {":rejected": REJECTED, ":reason": reason}
    return _transact(items.update_next(pending, update, more))


def release_next(pending: NextVersion) -> bool:
    """Its upload window closed unused: its bytes stop counting (it stays pending)."""
    return _transact(items.update_next(pending, "", {}))


def discard_next(pending: NextVersion) -> bool:
    """Forget the pending version (an aborted multipart upload), giving its reservation back."""
    return _transact(items.delete_next(pending))


def drop_kept(record: FileRecord, version: KeptVersion) -> bool:
    """Delete an older kept version's item; its bytes stop counting."""
    meta = {
        "Update": {
            "TableName": _table(),
            "Key": _key(record.file_id),
            "UpdateExpression": "ADD storedBytes :minus_size, versionCount :minus_one",
            "ConditionExpression": "attribute_exists(storedBytes) AND versionCount > :one",
            "ExpressionAttributeValues": db.to_values(
                {":minus_size": -version.size, ":minus_one": -1, ":one": 1}
            ),
        }
    }
    return _transact(
        [
            items.delete_kept(record.file_id, version),
            meta,
            users.usage_change(record.owner_id, bytes_delta=-version.size),
        ]
    )


def demote(record: FileRecord, previous: KeptVersion) -> bool:
    """The current version's bytes are not what its type claims (the worker's image check):
    it goes, `previous` (the newest kept one) is current again, its bytes stop counting."""
    values: dict[str, Any] = _current_is(
        previous.size,
        previous.content_type,
        previous.etag,
        previous.version_id,
        previous.uploaded_at,
        previous.sha256,
    ) | {
        ":available": AVAILABLE,
        ":bad": record.version_id or NULL_VERSION,
        ":one": 1,
        ":minus_size": -record.size,
        ":minus_one": -1,
    }
    meta = {
        "Update": {
            "TableName": _table(),
            "Key": _key(record.file_id),
            "UpdateExpression": (
                f"{_SET_CURRENT} ADD storedBytes :minus_size, versionCount :minus_one"
            ),
            "ConditionExpression": (
                "#status = :available AND versionId = :bad AND versionCount > :one"
            ),
            "ExpressionAttributeNames": {"#status": "status", "#size": "size"},
            "ExpressionAttributeValues": db.to_values(values),
        }
    }
    return _transact(
        [
            meta,
            items.delete_kept(record.file_id, previous),
            users.usage_change(record.owner_id, bytes_delta=-record.size),
        ]
    )
