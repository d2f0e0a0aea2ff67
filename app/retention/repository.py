"""The trash, due times and purge jobs in DynamoDB (item shapes live only here).

A deleted file or folder stays in its own item, marked: `trashedAt`, `purgeAt` (epoch s), and
`purging = <its own id>`; it leaves its folder (gsi2 removed) and its owner's lists (gsi1 moves
to `TRASH#<ownerId>` / `<trashedAt>#<id>`, so the trash is one Query, newest first). What is
below a deleted folder is marked `purging = <the deleted folder's id>` (files also leave gsi1):
readers, shares and links treat any `purging` item as gone, and a restore unmarks exactly what
carries its id.

`DUE / <epoch:012d>#<kind>#<id>`: one entry per instant something must go for good (`trash`:
30 days after the delete; `expiry`: a file's `expiresAt`), written and removed in the same
transaction as the item's mark. The worker reads the entries that are due (one Query) once a
minute and marks each item `deleting` while writing its purge job.

`PURGE / <id>`: a purge job; its insert reaches the worker through the table's stream
(locally the poller reads the jobs). It stays until the purge is done, so a purge that died
is run again. `PURGE / EMPTY#<ownerId>#<cutoff>` empties an owner's trash.
"""

from dataclasses import dataclass
from typing import Any

from app import db
from app.access.subjects import is_folder_id, partition

TRASH, EXPIRY = "trash", "expiry"
_EMPTY = "EMPTY#"


@dataclass(frozen=True)
class Due:
    at: int
    kind: str  # TRASH | EXPIRY
    item_id: str


def _table() -> str:
    return db.table_name()


def item_key(item_id: str) -> dict[str, Any]:
    """The `META` item of a file or a folder."""
    return {"pk": {"S": partition(item_id)}, "sk": {"S": "META"}}


def trash_partition(owner_id: str) -> str:
    return f"TRASH#{owner_id}"


def _due_key(at: int, kind: str, item_id: str) -> dict[str, Any]:
    return {"pk": {"S": "DUE"}, "sk": {"S": f"{at:012d}#{kind}#{item_id}"}}


def due_put(at: int, kind: str, item_id: str) -> dict[str, Any]:
    item = _due_key(at, kind, item_id) | db.to_item({"itemId": item_id, "kind": kind, "at": at})
    return {"Put": {"TableName": _table(), "Item": item}}


def due_delete(at: int, kind: str, item_id: str) -> dict[str, Any]:
    return {"Delete": {"TableName": _table(), "Key": _due_key(at, kind, item_id)}}


def _job_key(job: str) -> dict[str, Any]:
    return {"pk": {"S": "PURGE"}, "sk": {"S": job}}


def _job_put(job: str, owner_id: str, now: str) -> dict[str, Any]:
    item = _job_key(job) | db.to_item({"ownerId": owner_id, "createdAt": now})
    return {"Put": {"TableName": _table(), "Item": item}}


def _transact(items: list[dict[str, Any]]) -> bool:
    with db.call(db.TRANSACTION_CANCELED) as write:
        db.dynamodb().transact_write_items(TransactItems=items)
    return write.refused is None


def _update(item_id: str, update: str, condition: str, values: dict[str, Any]) -> dict[str, Any]:
    names = {n: v for n, v in {"#v": "version", "#s": "status"}.items() if n in update + condition}
    request: dict[str, Any] = {
        "TableName": _table(),
        "Key": item_key(item_id),
        "UpdateExpression": update,
        "ConditionExpression": condition,
    }
    if values:  # DynamoDB refuses an empty map
        request["ExpressionAttributeValues"] = db.to_values(values)
    if names:
        request["ExpressionAttributeNames"] = names
    return request


# ---------------------------------------------------------------- to the trash and back


def trash(
    item_id: str, owner_id: str, *, now: str, purge_at: int, condition: str, values: dict[str, Any]
) -> bool:
    """Mark `item_id` deleted by its owner (the root of what it takes along) and note when it
    goes for good, in one transaction conditional on `condition` (the item as read)."""
    update = (
        "SET trashedAt = :now, purgeAt = :purge, purging = :self, gsi1pk = :trash, "
        "gsi1sk = :sk REMOVE gsi2pk, gsi2sk"
    )
    if is_folder_id(item_id):
        update += " ADD #v :one"
        values = values | {":one": 1}
    values = values | {
        ":now": now,
        ":purge": purge_at,
        ":self": item_id,
        ":trash": trash_partition(owner_id),
        ":sk": f"{now}#{item_id}",
    }
    mark = _update(item_id, update, f"({condition}) AND attribute_not_exists(purging)", values)
    return _transact([{"Update": mark}, due_put(purge_at, TRASH, item_id)])


def restore(
    item_id: str,
    *,
    trashed_at: str,
    purge_at: int,
    place: dict[str, Any],
    checks: list[dict[str, Any]],
    bump: bool = False,
) -> bool:
    """Put a trashed item back: `place` gives the attributes of where it goes (None values are
    removed). Conditional on the delete as read and on no purge having started (a purge and a
    restore never both win), with `checks` (its folder is still there)."""
    sets = {name: value for name, value in place.items() if value is not None}
    removes = [name for name, value in place.items() if value is None]
    update = "SET " + ", ".join(f"{name} = :{name}" for name in sets)
    update += " REMOVE " + ", ".join(["trashedAt", "purgeAt", "purging", *removes])
    values: dict[str, Any] = {f":{name}": value for name, value in sets.items()}
    if bump:
        update += " ADD #v :one"
        values[":one"] = 1
    condition = "trashedAt = :trashed AND attribute_not_exists(deleting)"
    mark = _update(item_id, update, condition, values | {":trashed": trashed_at})
    return _transact([{"Update": mark}, due_delete(purge_at, TRASH, item_id), *checks])


def hide(item_id: str, root_id: str, update: str, condition: str, values: dict[str, Any]) -> bool:
    """Mark one item below a deleted folder (`purging = root`); False when `condition` or an
    earlier mark of another deleted folder stopped it."""
    request = _update(
        item_id,
        f"SET purging = :root {update}".strip(),
        f"({condition}) AND (attribute_not_exists(purging) OR purging = :root)",
        values | {":root": root_id},
    )
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().update_item(**request)
    return write.refused is None


def unhide(item_id: str, root_id: str, update: str, values: dict[str, Any]) -> bool:
    """Unmark one item below a restored folder: only what that folder's delete marked, and
    only an item still there (a purge may have deleted it since it was listed: an update
    without `attribute_exists(pk)` would write a bare item in its place)."""
    request = _update(
        item_id,
        f"{update} REMOVE purging".strip(),
        "attribute_exists(pk) AND (attribute_not_exists(purging) OR purging = :root)",
        values | {":root": root_id},
    )
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().update_item(**request)
    return write.refused is None


# ---------------------------------------------------------------- for good


def delete_for_good(
    item_id: str, owner_id: str, *, trashed_at: str, purge_at: int, now: str
) -> bool:
    """Mark a trashed item `deleting` (it leaves the trash; no restore can win any more) and
    write its purge job, in one transaction; False when it was restored or is already going."""
    mark = _update(
        item_id,
        "SET deleting = :now REMOVE gsi1pk, gsi1sk",
        "trashedAt = :trashed AND attribute_not_exists(deleting)",
        {":now": now, ":trashed": trashed_at},
    )
    return _transact(
        [{"Update": mark}, due_delete(purge_at, TRASH, item_id), _job_put(item_id, owner_id, now)]
    )


def expire(file_id: str, owner_id: str, *, at: int, now: str) -> bool:
    """Mark a file whose `expiresAt` passed `deleting`, out of every list and place, and write
    its purge job; False when its expiry changed or it is already going."""
    mark = _update(
        file_id,
        "SET deleting = :now REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk",
        "expiry = :at AND attribute_not_exists(deleting)",
        {":now": now, ":at": at},
    )
    return _transact(
        [{"Update": mark}, due_delete(at, EXPIRY, file_id), _job_put(file_id, owner_id, now)]
    )


def set_expiry(file_id: str, old: int | None, new: int | None) -> bool:
    """Change a file's expiry (None: never) and its due entry, conditional on the one read."""
    update = "SET expiry = :new" if new is not None else "REMOVE expiry"
    condition = "attribute_exists(pk) AND attribute_not_exists(deleting)"
    values: dict[str, Any] = {":new": new} if new is not None else {}
    if old is None:
        condition += " AND attribute_not_exists(expiry)"
    else:
        condition += " AND expiry = :old"
        values[":old"] = old
    items: list[dict[str, Any]] = [{"Update": _update(file_id, update, condition, values)}]
    if old is not None:
        items.append(due_delete(old, EXPIRY, file_id))
    if new is not None:
        items.append(due_put(new, EXPIRY, file_id))
    return _transact(items)


def drop_due(due: Due) -> None:
    """Remove a due entry whose item changed since (restored, expiry moved, already gone)."""
    with db.call():
        db.dynamodb().delete_item(TableName=_table(), Key=_due_key(due.at, due.kind, due.item_id))


def due_now(now: int, limit: int, after: Due | None = None) -> list[Due]:
    """Up to `limit` entries due at `now` or before, the oldest first (one Query), from past
    `after` (the last entry of the previous page)."""
    page: dict[str, Any] = {}
    if after is not None:
        page["ExclusiveStartKey"] = _due_key(after.at, after.kind, after.item_id)
    with db.call():
        answer = db.dynamodb().query(
            TableName=_table(),
            KeyConditionExpression="pk = :pk AND sk <= :now",
            ExpressionAttributeValues=db.to_values({":pk": "DUE", ":now": f"{now:012d}~"}),
            Limit=limit,
            **page,
        )
    found = []
    for item in answer.get("Items", []):
        values = db.from_item(item) or {}
        found.append(Due(int(values["at"]), values["kind"], values["itemId"]))
    return found


def empty_trash_job(owner_id: str, cutoff: str) -> None:
    """The job that empties `owner_id`'s trash of what was deleted until `cutoff`."""
    with db.call():
        db.dynamodb().put_item(
            TableName=_table(),
            Item=_job_put(f"{_EMPTY}{owner_id}#{cutoff}", owner_id, cutoff)["Put"]["Item"],
        )


def empty_job_of(job: str) -> tuple[str, str] | None:
    """(owner, cutoff) of an empty-trash job's key, else None (the job purges one item)."""
    if not job.startswith(_EMPTY):
        return None
    owner_id, _, cutoff = job[len(_EMPTY) :].partition("#")
    return owner_id, cutoff


def jobs(created_before: str | None = None) -> list[str]:
    """The purge jobs not finished (one Query of the `PURGE` partition), or only those
    written before `created_before` (ISO 8601)."""
    query: dict[str, Any] = {
        "KeyConditionExpression": "pk = :pk",
        "ExpressionAttributeValues": db.to_values({":pk": "PURGE"}),
        "ProjectionExpression": "sk",
    }
    if created_before is not None:
        query["FilterExpression"] = "createdAt < :before"
        query["ExpressionAttributeValues"] |= db.to_values({":before": created_before})
    return [row["sk"]["S"] for row in db.query_all(query)]


def end_job(job: str) -> None:
    with db.call():
        db.dynamodb().delete_item(TableName=_table(), Key=_job_key(job))


# ---------------------------------------------------------------- reading the trash


def trash_query(owner_id: str) -> dict[str, Any]:
    """An owner's trash on gsi1, most recently deleted first."""
    return {
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :pk",
        "ExpressionAttributeValues": db.to_values({":pk": trash_partition(owner_id)}),
        "ScanIndexForward": False,
    }


def get_item(item_id: str) -> dict[str, Any] | None:
    """The raw `META` item of a file or a folder (consistent)."""
    with db.call():
        answer = db.dynamodb().get_item(
            TableName=_table(), Key=item_key(item_id), ConsistentRead=True
        )
    item: dict[str, Any] | None = answer.get("Item")
    return item
