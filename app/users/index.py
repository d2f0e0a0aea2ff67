"""The administrators' view of the profiles (item shapes live in app/users/repository.py and
here): every user by address on gsi1 (`USERS` / `<lower-case email>#<sub>`), their usage for
the totals, and the two attributes only an administrator writes, `quotaBytes` and `disabled`.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app import db
from app.users.repository import USERS, Profile, _profile_key, index_keys, profile_of

_KEY_NAMES = ("pk", "sk", "gsi1pk", "gsi1sk")


@dataclass(frozen=True)
class ProfilePage:
    items: list[Profile]
    last_key: dict[str, Any] | None


def _by_address(prefix: str) -> dict[str, Any]:
    condition, values = "gsi1pk = :users", {":users": USERS}
    if prefix:
        condition += " AND begins_with(gsi1sk, :prefix)"
        values[":prefix"] = prefix.lower()
    return {
        "IndexName": "gsi1",
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": db.to_values(values),
    }


def page(limit: int, start_key: dict[str, Any] | None, prefix: str = "") -> ProfilePage:
    """One page of the users whose address starts with `prefix` (any case), by address: a
    Query that reads the page and one more item, however many users there are."""
    found = db.query_page(_by_address(prefix), limit, start_key)
    profiles = [profile_of(db.from_item(item)) for item in found.items]
    last = found.last
    return ProfilePage(
        items=[profile for profile in profiles if profile is not None],
        last_key={name: last[name] for name in _KEY_NAMES} if last else None,
    )


def usages() -> Iterator[tuple[int, int]]:
    """(files, bytes) of every listed profile: reads the whole index partition (O(users)), so
    only the worker's periodic recount calls it, never a request."""
    request: dict[str, Any] = {
        "TableName": db.table_name(),
        **_by_address(""),
        "ProjectionExpression": "usedBytes, fileCount",
    }
    while True:
        with db.call():
            answer = db.dynamodb().query(**request)
        for item in answer.get("Items", []):
            values = db.from_item(item) or {}
            yield int(values.get("fileCount", 0)), int(values.get("usedBytes", 0))
        if "LastEvaluatedKey" not in answer:
            return
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def _set(user_id: str, update: str, values: dict[str, Any] | None = None) -> Profile | None:
    """Change an existing profile (never creates one); the profile as it now is, None when
    there is none."""
    request: dict[str, Any] = {
        "TableName": db.table_name(),
        "Key": _profile_key(user_id),
        "UpdateExpression": update,
        "ConditionExpression": "attribute_exists(pk)",
        "ReturnValues": "ALL_NEW",
    }
    if values:
        request["ExpressionAttributeValues"] = db.to_values(values)
    with db.call(db.CONDITION_FAILED) as write:
        answer = db.dynamodb().update_item(**request)
    return None if write.refused else profile_of(db.from_item(answer.get("Attributes")))


def set_quota(user_id: str, quota_bytes: int | None) -> Profile | None:
    """Give the user their own quota (None: back to the default)."""
    if quota_bytes is None:
        return _set(user_id, "REMOVE quotaBytes")
    return _set(user_id, "SET quotaBytes = :quota", {":quota": quota_bytes})


def set_disabled(user_id: str, disabled: bool) -> Profile | None:
    """Record whether an administrator has disabled the account (Cognito is told apart)."""
    if not disabled:
        return _set(user_id, "REMOVE disabled")
    return _set(user_id, "SET disabled = :yes", {":yes": True})


def add_to_index(user_id: str, email: str) -> bool:
    """Give a profile written before the index existed its place in it (the backfill); False
    when it has one already or is gone."""
    keys = index_keys(user_id, email)
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().update_item(
            TableName=db.table_name(),
            Key=_profile_key(user_id),
            UpdateExpression="SET gsi1pk = :gsi1pk, gsi1sk = :gsi1sk",
            ConditionExpression="attribute_exists(email) AND attribute_not_exists(gsi1pk)",
            ExpressionAttributeValues=db.to_values({f":{k}": v for k, v in keys.items()}),
        )
    return write.refused is None
