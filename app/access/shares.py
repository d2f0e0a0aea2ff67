"""Share items in DynamoDB (item shapes live only here).

`FILE#<fileId>` (or `FOLDER#<folderId>`) / `SHARE#<userId>`, indexed as `SHARED#<userId>` /
`<sharedAt>#<id>` on gsi1 so a user's "shared with me" list is one index Query over that
user's rows only. `fileId` holds the id of what is shared, a file or a folder
(`app.access.subjects` tells which).

A share with an address that has no account yet is an invitation: the same partition, sort
key `SHARE#invite#<lower-case email>` (user ids never start so), `pending: true`, no userId,
indexed as `INVITED#<email>` on gsi1 so the address's invitations are one Query when it is
verified; it then becomes a share in one transaction (`deliver`).
"""

from dataclasses import dataclass
from typing import Any

from app import db
from app.access import subjects

INVITE = "invite#"


@dataclass(frozen=True)
class ShareRecord:
    file_id: str
    user_id: str  # "" for an invitation
    email: str
    owner_id: str
    shared_at: str
    pending: bool = False

    @property
    def member(self) -> str:
        """What the share's sort key names: the user, or the invited address."""
        return f"{INVITE}{self.email.lower()}" if self.pending else self.user_id


def invitee(address: str) -> str:
    """The member an invitation of `address` is stored under."""
    return f"{INVITE}{address.lower()}"


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


def _key(file_id: str, member: str) -> dict[str, Any]:
    return {"pk": {"S": subjects.partition(file_id)}, "sk": {"S": f"SHARE#{member}"}}


def _record(values: dict[str, Any]) -> ShareRecord:
    return ShareRecord(
        file_id=values["fileId"],
        user_id=values.get("userId", ""),
        email=values.get("email", ""),
        owner_id=values["ownerId"],
        shared_at=values["sharedAt"],
        pending=bool(values.get("pending", False)),
    )


def _item(share: ShareRecord) -> dict[str, Any]:
    index = f"INVITED#{share.email.lower()}" if share.pending else f"SHARED#{share.user_id}"
    values = {
        "pk": subjects.partition(share.file_id),
        "sk": f"SHARE#{share.member}",
        "gsi1pk": index,
        "gsi1sk": f"{share.shared_at}#{share.file_id}",
        "fileId": share.file_id,
        "userId": share.user_id or None,
        "email": share.email,
        "ownerId": share.owner_id,
        "sharedAt": share.shared_at,
        "pending": True if share.pending else None,
    }
    return db.to_item(values)


def create_share(share: ShareRecord) -> tuple[ShareRecord, bool]:
    """Store `share` (or invitation) unless one exists; returns the stored one and whether it is
    new."""
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().put_item(
            TableName=db.table_name(),
            Item=_item(share),
            ConditionExpression="attribute_not_exists(pk)",
        )
    if write.refused is None:
        return share, True
    existing = get_share(share.file_id, share.member)
    if existing is None:  # revoked between the two calls: let them retry
        raise write.unavailable()
    return existing, False


def get_share(file_id: str, member: str) -> ShareRecord | None:
    """The share with a user (by id) or the invitation of an address (`invitee(address)`)."""
    with db.call():
        result = db.dynamodb().get_item(
            TableName=db.table_name(), Key=_key(file_id, member), ConsistentRead=True
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


def delete_share(file_id: str, member: str) -> ShareRecord | None:
    """Remove the share or invitation; returns what was removed (None when there was none)."""
    with db.call():
        result = db.dynamodb().delete_item(
            TableName=db.table_name(), Key=_key(file_id, member), ReturnValues="ALL_OLD"
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


def invitations_of(address: str) -> list[ShareRecord]:
    """Every invitation of `address`, from gsi1 (eventually consistent: `deliver` re-checks)."""
    items = db.query_all(
        {
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": db.to_values({":pk": f"INVITED#{address.lower()}"}),
        }
    )
    return [_record(db.from_item(item) or {}) for item in items]


def deliver(invitation: ShareRecord, user_id: str, at: str) -> bool:
    """Turn the invitation into a share with `user_id` in one transaction; False when the
    invitation is gone (revoked, delivered) or the user already has a share of it."""
    share = ShareRecord(
        file_id=invitation.file_id,
        user_id=user_id,
        email=invitation.email,
        owner_id=invitation.owner_id,
        shared_at=at,
    )
    with db.call(db.TRANSACTION_CANCELED) as write:
        db.dynamodb().transact_write_items(
            TransactItems=[
                {
                    "Delete": {
                        "TableName": db.table_name(),
                        "Key": _key(invitation.file_id, invitation.member),
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
                {
                    "Put": {
                        "TableName": db.table_name(),
                        "Item": _item(share),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        )
    return write.refused is None
