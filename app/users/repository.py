"""User profiles and usage counters in DynamoDB (item shapes live only here).

`USER#<sub> / PROFILE`: email, name, createdAt, usedBytes, fileCount.
`EMAIL#<lower-case email> / EMAIL`: userId, so sharing by email is one GetItem.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from app import db


@dataclass(frozen=True)
class Profile:
    user_id: str
    email: str
    name: str | None
    used_bytes: int
    file_count: int


def _profile_key(user_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"USER#{user_id}"}, "sk": {"S": "PROFILE"}}


def _email_key(email: str) -> dict[str, Any]:
    return {"pk": {"S": f"EMAIL#{email.lower()}"}, "sk": {"S": "EMAIL"}}


def save_profile(user_id: str, email: str, name: str | None = None) -> None:
    """Write the profile and email lookup; counters already there are kept."""
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    try:
        db.dynamodb().transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": db.table_name(),
                        "Key": _profile_key(user_id),
                        "UpdateExpression": (
                            "SET email = :email, createdAt = if_not_exists(createdAt, :now), "
                            "usedBytes = if_not_exists(usedBytes, :zero), "
                            "fileCount = if_not_exists(fileCount, :zero)"
                            + (", #name = :name" if name else "")
                        ),
                        **({"ExpressionAttributeNames": {"#name": "name"}} if name else {}),
                        "ExpressionAttributeValues": db.to_values(
                            {":email": email, ":now": now, ":zero": 0}
                            | ({":name": name} if name else {})
                        ),
                    }
                },
                {
                    "Put": {
                        "TableName": db.table_name(),
                        "Item": _email_key(email) | db.to_item({"userId": user_id}),
                    }
                },
            ]
        )
    except ClientError as exc:
        raise db.unavailable(exc) from exc


def get_profile(user_id: str) -> Profile | None:
    try:
        item = db.dynamodb().get_item(TableName=db.table_name(), Key=_profile_key(user_id))
    except ClientError as exc:
        raise db.unavailable(exc) from exc
    values = db.from_item(item.get("Item"))
    if not values or "email" not in values:
        return None
    return Profile(
        user_id=user_id,
        email=values["email"],
        name=values.get("name"),
        used_bytes=int(values.get("usedBytes", 0)),
        file_count=int(values.get("fileCount", 0)),
    )


def user_id_for_email(email: str) -> str | None:
    try:
        item = db.dynamodb().get_item(TableName=db.table_name(), Key=_email_key(email))
    except ClientError as exc:
        raise db.unavailable(exc) from exc
    values = db.from_item(item.get("Item"))
    return values["userId"] if values else None


def usage_change(
    user_id: str, *, bytes_delta: int = 0, files_delta: int = 0, quota: int | None = None
) -> dict[str, Any]:
    """A TransactWriteItems `Update` moving the usage counters together with a file item.

    With `quota`, the update only applies while usedBytes + bytes_delta stays within it.
    """
    update: dict[str, Any] = {
        "TableName": db.table_name(),
        "Key": _profile_key(user_id),
        "UpdateExpression": "ADD usedBytes :bytes, fileCount :files",
        "ExpressionAttributeValues": db.to_values({":bytes": bytes_delta, ":files": files_delta}),
    }
    if quota is not None:
        update["ConditionExpression"] = "attribute_not_exists(usedBytes) OR usedBytes <= :limit"
        update["ExpressionAttributeValues"] |= db.to_values({":limit": quota - bytes_delta})
    return {"Update": update}
