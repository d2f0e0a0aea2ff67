"""Status transitions of a file item, each one DynamoDB transaction (the repository's other half).

Every function returns False when its condition no longer holds (another request, the worker
or an expiry sweep got there first); callers re-read the file and decide again. Usage counters
move in the same transaction, so a file is counted, released or marked exactly once.
"""

from typing import Any

from app import db
from app.files import requested
from app.files.repository import (
    AVAILABLE,
    PENDING,
    REJECTED,
    FileRecord,
    PendingMarker,
    _key,
    _marker_key,
    _table,
    _transact,
)
from app.users import repository as users

_NAMES = {"#status": "status", "#ttl": "ttl", "#size": "size"}


def _update_file(
    record: FileRecord, update: str, condition: str, values: dict[str, Any]
) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": _table(),
            "Key": _key(record.file_id),
            "UpdateExpression": update,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {
                name: value for name, value in _NAMES.items() if name in update + condition
            },
            "ExpressionAttributeValues": db.to_values(values),
        }
    }


def _drop_marker(record: FileRecord) -> list[dict[str, Any]]:
    if not record.marker_sk:
        return []
    key = _marker_key(record.owner_id, record.marker_sk)
    return [{"Delete": {"TableName": _table(), "Key": key}}]


_HELD = "#status = :pending AND reserved = :yes"
_NOT_HELD = "#status = :pending AND attribute_not_exists(reserved)"


def mark_available(
    record: FileRecord, *, etag: str | None, version_id: str | None, uploaded_at: str, quota: int
) -> bool:
    """pending -> available, recording the S3 version that was checked (the only one served).

    A held reservation becomes usage; a released one must fit again (and, for a file sent
    through an upload request, find a place in it again).
    """
    values = {
        ":pending": PENDING,
        ":available": AVAILABLE,
        ":at": uploaded_at,
        ":etag": etag,
        ":version": version_id,
    }
    return _leave_pending(
        record,
        "SET #status = :available, uploadedAt = :at, etag = :etag, versionId = :version",
        values,
        held=[
            users.usage_change(record.owner_id, files_delta=1),
            *requested.received(record.uploaded_by, held=True),
        ],
        not_held=[
            users.usage_change(
                record.owner_id, bytes_delta=record.size, files_delta=1, quota=quota
            ),
            *requested.received(record.uploaded_by, held=False),
        ],
    )


def mark_rejected(record: FileRecord, reason: str) -> bool:
    """pending -> rejected, giving back the reservation if it was still held."""
    values = {":pending": PENDING, ":rejected": REJECTED, ":reason": reason}
    return _leave_pending(
        record,
        "SET #status = :rejected, rejectionReason = :reason",
        values,
        held=[
            users.usage_change(record.owner_id, bytes_delta=-record.size),
            *requested.place_given_back(record.uploaded_by),
        ],
        not_held=[],
    )


def _leave_pending(
    record: FileRecord,
    update: str,
    values: dict[str, Any],
    *,
    held: list[dict[str, Any]],
    not_held: list[dict[str, Any]],
) -> bool:
    """One transaction that moves a pending file on (`update`, then its pending attributes
    removed), with the counter changes `held` and the marker dropped while it holds a
    reservation, else with `not_held`."""
    update += " REMOVE reserved, #ttl, expiresAt, uploadId, markerSk"
    if record.reserved:
        file = _update_file(record, update, _HELD, values | {":yes": True})
        return _transact([file, *held, *_drop_marker(record)])
    file = _update_file(record, update, _NOT_HELD, values)
    return _transact([file, *not_held])


# The bytes of every kept version are as read (absent: only the current one, `size`), so a
# version added or dropped meanwhile makes the write fail and the caller read again.
_STORED_AS_READ = (
    "(storedBytes = :stored OR (attribute_not_exists(storedBytes) AND #size = :stored))"
)


def mark_unusable(record: FileRecord, reason: str) -> bool:
    """available -> rejected (the worker found its bytes are not what its type claims)."""
    values: dict[str, Any] = {":available": AVAILABLE, ":rejected": REJECTED, ":reason": reason}
    values[":stored"] = record.stored_bytes
    update = "SET #status = :rejected, rejectionReason = :reason REMOVE #ttl"
    return _transact(
        [
            _update_file(record, update, f"#status = :available AND {_STORED_AS_READ}", values),
            users.usage_change(record.owner_id, bytes_delta=-record.stored_bytes, files_delta=-1),
            *requested.place_given_back(record.uploaded_by, received=True),
        ]
    )


def release(record: FileRecord) -> bool:
    """An expired pending upload stops counting against the quota (it stays pending)."""
    return _transact(
        [
            _update_file(record, "REMOVE reserved", _HELD, {":pending": PENDING, ":yes": True}),
            users.usage_change(record.owner_id, bytes_delta=-record.size),
            *_drop_marker(record),
            *requested.place_given_back(record.uploaded_by),
        ]
    )


def release_orphan(marker: PendingMarker) -> bool:
    """Release a marker whose file item is gone (its TTL passed before anyone looked)."""
    return _transact(
        [
            {
                "Delete": {
                    "TableName": _table(),
                    "Key": _marker_key(marker.owner_id, marker.sk),
                    "ConditionExpression": "attribute_exists(pk)",
                }
            },
            users.usage_change(marker.owner_id, bytes_delta=-marker.size),
            *requested.place_given_back(marker.uploaded_by),
        ]
    )


def delete(record: FileRecord) -> bool:
    """Delete the file item, undoing whatever it counts for, if it is still as read."""
    condition = "#status = :status"
    values: dict[str, Any] = {":status": record.status}
    extra: list[dict[str, Any]] = []
    if record.status == AVAILABLE:  # every kept version stops counting
        condition += f" AND {_STORED_AS_READ}"
        values[":stored"] = record.stored_bytes
        bytes_delta = -record.stored_bytes
        extra = [users.usage_change(record.owner_id, bytes_delta=bytes_delta, files_delta=-1)]
    elif record.reserved:
        condition += " AND reserved = :yes"
        values[":yes"] = True
        extra = [users.usage_change(record.owner_id, bytes_delta=-record.size)]
        extra += _drop_marker(record) + requested.place_given_back(record.uploaded_by)
    else:
        condition += " AND attribute_not_exists(reserved)"
    remove = {
        "Delete": {
            "TableName": _table(),
            "Key": _key(record.file_id),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {
                name: value for name, value in _NAMES.items() if name in condition
            },
            "ExpressionAttributeValues": db.to_values(values),
        }
    }
    return _transact([remove, *extra])


def expired_markers(owner_id: str, now_iso: str) -> list[PendingMarker]:
    """The owner's reservations whose upload window has closed (one Query on the marker range)."""
    with db.call():
        answer = db.dynamodb().query(
            TableName=_table(),
            KeyConditionExpression="pk = :pk AND sk BETWEEN :low AND :high",
            ExpressionAttributeValues=db.to_values(
                {":pk": f"USER#{owner_id}", ":low": "PENDING#", ":high": f"PENDING#{now_iso}"}
            ),
            ConsistentRead=True,
        )
    markers = []
    for item in answer.get("Items", []):
        values = db.from_item(item) or {}
        markers.append(
            PendingMarker(
                owner_id,
                values["sk"],
                values["fileId"],
                values["size"],
                values.get("nextId"),
                requested.from_map(values.get("uploadedBy")),
            )
        )
    return markers
