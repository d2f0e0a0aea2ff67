"""Share items in DynamoDB (item shapes live only here).

`FILE#<fileId>` (or `FOLDER#<folderId>`) / `SHARE#<userId>`, indexed as `SHARED#<userId>` /
`<sharedAt>#<id>` on gsi1 so a user's "shared with me" list is one index Query over that
user's rows only. `fileId` holds the id of what is shared, a file or a folder
(`app.access.subjects` tells which).
"""

from dataclasses import dataclass
from typing import Any

from app import db
from app.access import subjects


@dataclass(frozen=True)
class ShareRecord:
    file_id: str
    user_id: str
    email: str
    owner_id: str
    shared_at: str


@dataclass(frozen=True)
class SharePage:
    items: list[ShareRecord]
    last_key: dict[str, Any] | None


@dataclass(frozen=True)
class SharedPage:
    """File ids shared with one user, newest share first, and what the Query cost."""

    file_ids: list[str]  # files and folders (`app.access.subjects` tells which)
    shared_at: list[str]
    last_key: dict[str, Any] | None
    scanned_count: int


def _key(file_id: str, user_id: str) -> dict[str, Any]:
    return {"pk": {"S": subjects.partition(file_id)}, "sk": {"S": f"SHARE#{user_id}"}}


def _record(values: dict[str, Any]) -> ShareRecord:
    return ShareRecord(
        file_id=values["fileId"],
        user_id=values["userId"],
        email=values.get("email", ""),
        owner_id=values["ownerId"],
        shared_at=values["sharedAt"],
    )


def create_share(share: ShareRecord) -> tuple[ShareRecord, bool]:
    """Store `share` unless one exists; returns the stored share and whether it is new."""
    values = {
        "pk": subjects.partition(share.file_id),
        "sk": f"SHARE#{share.user_id}",
        "gsi1pk": f"SHARED#{share.user_id}",
        "gsi1sk": f"{share.shared_at}#{share.file_id}",
        "fileId": share.file_id,
        "userId": share.user_id,
        "email": share.email,
        "ownerId": share.owner_id,
        "sharedAt": share.shared_at,
    }
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().put_item(
            TableName=db.table_name(),
            Item=db.to_item(values),
            ConditionExpression="attribute_not_exists(pk)",
        )
    if write.refused is None:
        return share, True
    existing = get_share(share.file_id, share.user_id)
    if existing is None:  # revoked between the two calls: let them retry
        raise write.unavailable()
    return existing, False


def get_share(file_id: str, user_id: str) -> ShareRecord | None:
    with db.call():
        result = db.dynamodb().get_item(
            TableName=db.table_name(), Key=_key(file_id, user_id), ConsistentRead=True
        )
    values = db.from_item(result.get("Item"))
    return _record(values) if values else None


def is_shared_with(file_id: str, user_id: str) -> bool:
    """Whether `file_id` is shared with `user_id` now (a strongly consistent read)."""
    return get_share(file_id, user_id) is not None


def shared_among(subject_ids: list[str], user_id: str) -> set[str]:
    """Which of these files and folders are shared with `user_id` now: one consistent
    BatchGetItem of their share keys (a folder's path is at most 21 of them), so the access
    check of anything in a folder costs one request whatever its depth."""
    keys = (_key(subject_id, user_id) for subject_id in dict.fromkeys(subject_ids))
    items = db.batch_get(keys, consistent=True, projection="pk")
    return {item["pk"]["S"].split("#", 1)[1] for item in items}


def delete_share(file_id: str, user_id: str) -> ShareRecord | None:
    """Remove the share; returns what was removed (None when there was none)."""
    with db.call():
        result = db.dynamodb().delete_item(
            TableName=db.table_name(), Key=_key(file_id, user_id), ReturnValues="ALL_OLD"
        )
    values = db.from_item(result.get("Attributes"))
    return _record(values) if values else None


def _shares_of(file_id: str) -> dict[str, Any]:
    return {
        "KeyConditionExpression": "pk = :pk AND begins_with(sk, :share)",
        "ExpressionAttributeValues": db.to_values(
            {":pk": subjects.partition(file_id), ":share": "SHARE#"}
        ),
    }


def page_shares(file_id: str, limit: int, start_key: dict[str, Any] | None) -> SharePage:
    """One page of the file's shares in the partition's order (by user id): one Query."""
    page = db.query_page(_shares_of(file_id), limit, start_key)
    last = page.last
    return SharePage(
        items=[_record(db.from_item(item) or {}) for item in page.items],
        last_key={"pk": last["pk"], "sk": last["sk"]} if last else None,
    )


def shared_with(user_id: str, limit: int, start_key: dict[str, Any] | None) -> SharedPage:
    """One page of the files shared with `user_id`, newest share first, from gsi1.

    Reads one row past the page so a cursor is handed out only when more rows exist.
    """
    page = db.query_page(
        {
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": db.to_values({":pk": f"SHARED#{user_id}"}),
            "ProjectionExpression": "pk, sk, gsi1pk, gsi1sk, fileId",
            "ScanIndexForward": False,
        },
        limit,
        start_key,
    )
    last = page.last
    return SharedPage(
        file_ids=[item["fileId"]["S"] for item in page.items],
        shared_at=[item["gsi1sk"]["S"].rsplit("#", 1)[0] for item in page.items],
        last_key={name: last[name] for name in ("pk", "sk", "gsi1pk", "gsi1sk")} if last else None,
        scanned_count=page.scanned_count,
    )


def delete_file_shares(file_id: str) -> int:
    """Delete every share of a deleted file."""
    return db.delete_prefixed(subjects.partition(file_id), ("SHARE#",))
