"""Upload request items in DynamoDB (item shapes live only here).

`REQUEST#<token>` / `REQUEST`, indexed as `FOLDERREQUESTS#<folderId>` / `<createdAt>#<token>` on
gsi1 so a folder's list is one Query. Two counters move only through conditional updates or
inside the transactions of the files a request brings: `slots` (uploads that hold a place:
pending with their bytes reserved, or received) never passes `maxFiles`, and `received` counts
the files that were verified. A revoked request keeps its item (out of gsi1) until its TTL, so
an upload already under way still finds its counters.

The files domain writes these counters in its own transactions (`slot_taken`, `counters`,
`slot_retaken`), as it does the usage counters, so they match the files whatever fails.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import db
from app.clock import iso, parse_iso

# Expired requests stay in the owner's list, with what they received, for a week.
LINGER_SECONDS = 7 * 24 * 3600
# A counter written after the item went (TTL) makes a bare item: it goes a day later.
_STUB_SECONDS = 24 * 3600
_SK = "REQUEST"


class RequestClosed(Exception):
    """The request took no new upload: full, expired, revoked or gone (read it to know which)."""


@dataclass(frozen=True)
class RequestRecord:
    token: str
    folder_id: str
    owner_id: str
    title: str
    message: str | None
    created_at: datetime
    expires_at: datetime
    password_hash: str | None
    max_files: int
    max_file_bytes: int | None  # None: the single-upload limit
    slots: int = 0
    received: int = 0
    revoked: bool = False

    def usable_at(self, now: datetime) -> bool:
        """Not revoked and not expired (a full one still opens: its uploads answer 409)."""
        return not self.revoked and now < self.expires_at

    @property
    def full(self) -> bool:
        return self.slots >= self.max_files


@dataclass(frozen=True)
class RequestPage:
    items: list[RequestRecord]
    last_key: dict[str, Any] | None


def _key(token: str) -> dict[str, Any]:
    return {"pk": {"S": f"REQUEST#{token}"}, "sk": {"S": _SK}}


def _record(values: dict[str, Any]) -> RequestRecord:
    return RequestRecord(
        token=values["token"],
        folder_id=values["folderId"],
        owner_id=values["ownerId"],
        title=values["title"],
        message=values.get("message"),
        created_at=parse_iso(values["createdAt"]),
        expires_at=parse_iso(values["expiresAt"]),
        password_hash=values.get("passwordHash"),
        max_files=int(values["maxFiles"]),
        max_file_bytes=values.get("maxFileBytes"),
        slots=int(values.get("slots", 0)),
        received=int(values.get("received", 0)),
        revoked=bool(values.get("revoked", False)),
    )


def _found(values: dict[str, Any] | None) -> RequestRecord | None:
    """The request an item holds; None for none, or for the bare counters a late upload left."""
    return _record(values) if values and "folderId" in values else None


def create_request(request: RequestRecord) -> None:
    expires_epoch = int(request.expires_at.timestamp())
    values = {
        "pk": f"REQUEST#{request.token}",
        "sk": _SK,
        "gsi1pk": _folder_partition(request.folder_id),
        "gsi1sk": f"{iso(request.created_at)}#{request.token}",
        "token": request.token,
        "folderId": request.folder_id,
        "ownerId": request.owner_id,
        "title": request.title,
        "message": request.message,
        "createdAt": iso(request.created_at),
        "expiresAt": iso(request.expires_at),
        "expiresAtEpoch": expires_epoch,
        "passwordHash": request.password_hash,
        "maxFiles": request.max_files,
        "maxFileBytes": request.max_file_bytes,
        "slots": 0,
        "received": 0,
        "ttl": expires_epoch + LINGER_SECONDS,
    }
    with db.call():
        db.dynamodb().put_item(
            TableName=db.table_name(),
            Item=db.to_item(values),
            ConditionExpression="attribute_not_exists(pk)",
        )


def get_request(token: str) -> RequestRecord | None:
    with db.call():
        answer = db.dynamodb().get_item(
            TableName=db.table_name(), Key=_key(token), ConsistentRead=True
        )
    return _found(db.from_item(answer.get("Item")))


def get_requests(tokens: list[str]) -> list[RequestRecord]:
    """The requests that exist among `tokens` (consistent reads)."""
    items = db.batch_get((_key(token) for token in tokens), consistent=True)
    return [record for item in items if (record := _found(db.from_item(item))) is not None]


def alive_among(folder_id: str, tokens: set[str], now: datetime) -> set[str]:
    """Which of `tokens` name live requests of the folder (a consistent read of each)."""
    return {
        record.token
        for record in get_requests(sorted(tokens))
        if record.folder_id == folder_id and record.usable_at(now)
    }


def _folder_partition(folder_id: str) -> str:
    return f"FOLDERREQUESTS#{folder_id}"


def _by_folder(folder_id: str) -> dict[str, Any]:
    return {
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :pk",
        "ExpressionAttributeValues": db.to_values({":pk": _folder_partition(folder_id)}),
        "ScanIndexForward": False,
    }


def page_requests(folder_id: str, limit: int, start_key: dict[str, Any] | None) -> RequestPage:
    """One page of the folder's requests (revoked ones left out), newest first."""
    page = db.query_page(_by_folder(folder_id), limit, start_key)
    last = page.last
    return RequestPage(
        items=[_record(db.from_item(item) or {}) for item in page.items],
        last_key={name: last[name] for name in ("pk", "sk", "gsi1pk", "gsi1sk")} if last else None,
    )


def revoke(token: str, folder_id: str) -> RequestRecord | None:
    """Mark the request revoked if it is this folder's and still live; returns it as it was."""
    with db.call(db.CONDITION_FAILED) as write:
        answer = db.dynamodb().update_item(
            TableName=db.table_name(),
            Key=_key(token),
            UpdateExpression="SET revoked = :yes REMOVE gsi1pk, gsi1sk",
            ConditionExpression="folderId = :folder AND attribute_not_exists(revoked)",
            ExpressionAttributeValues=db.to_values({":yes": True, ":folder": folder_id}),
            ReturnValues="ALL_OLD",
        )
    return None if write.refused else _found(db.from_item(answer.get("Attributes")))


def delete_request(token: str) -> None:
    """Delete the item outright: a request refused at creation leaves nothing behind."""
    with db.call():
        db.dynamodb().delete_item(TableName=db.table_name(), Key=_key(token))


def delete_folder_requests(folder_id: str) -> int:
    """Delete every listed request of a folder that goes for good (revoked ones go by TTL)."""
    keys = [{"pk": item["pk"], "sk": item["sk"]} for item in db.query_all(_by_folder(folder_id))]
    db.batch_delete(keys)
    return len(keys)


def _update(
    token: str, expression: str, values: dict[str, Any], condition: str = ""
) -> dict[str, Any]:
    update: dict[str, Any] = {
        "TableName": db.table_name(),
        "Key": _key(token),
        "UpdateExpression": expression,
        "ExpressionAttributeValues": db.to_values(values),
    }
    if "#ttl" in expression:
        update["ExpressionAttributeNames"] = {"#ttl": "ttl"}
    if condition:
        update["ConditionExpression"] = condition
    return {"Update": update}


def slot_taken(token: str, now: datetime) -> dict[str, Any]:
    """A TransactWriteItems `Update` taking one place of a live request that has room."""
    return _update(
        token,
        "ADD slots :one",
        {":one": 1, ":now": int(now.timestamp())},
        "attribute_exists(folderId) AND attribute_not_exists(revoked) "
        "AND expiresAtEpoch > :now AND slots < maxFiles",
    )


def slot_retaken(token: str) -> dict[str, Any]:
    """A TransactWriteItems `Update` for a file that lands after its place was given back
    (its upload window closed first): received, if the request still has room for it."""
    return _update(
        token,
        "ADD slots :one, received :one",
        {":one": 1},
        "attribute_exists(folderId) AND slots < maxFiles",
    )


def counters(token: str, *, slots: int = 0, received: int = 0, now: datetime) -> dict[str, Any]:
    """A TransactWriteItems `Update` moving the counters, whatever state the request is in.

    Never conditional, so a file's transition never waits on its request; should the item be
    gone, the bare counters it leaves carry a TTL of their own.
    """
    return _update(
        token,
        "ADD slots :slots, received :received SET #ttl = if_not_exists(#ttl, :ttl)",
        {":slots": slots, ":received": received, ":ttl": int(now.timestamp()) + _STUB_SECONDS},
    )


def has_room(token: str) -> bool:
    """Whether the request could take one more file now (its item exists and is not full)."""
    request = get_request(token)
    return request is not None and not request.full
