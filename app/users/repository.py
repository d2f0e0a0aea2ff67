"""User profiles and usage counters in DynamoDB (item shapes live only here).

`USER#<sub> / PROFILE`: email, name, createdAt, usedBytes, fileCount, verifiedEmail,
notifyShares, notifyRequests, notifyRejections (false: that kind of email is off; absent: on),
mfa (true while two-factor login is on; written with the MFA item, app/mfa/repository.py),
quotaBytes (an administrator's override of the default quota; absent: the default) and
disabled (true while an administrator has disabled the account). Indexed on gsi1 as
`USERS` / `<lower-case email>#<sub>` for the administrators' list (app/users/index.py).
`EMAIL#<lower-case email> / EMAIL`: userId, so sharing by email is one GetItem. It exists only
for an address Cognito has verified for that user (`verifiedEmail` on the profile names it),
and a conditional write keeps it from ever moving to another user.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app import db
from app.clock import iso, utcnow


@dataclass(frozen=True)
class Notifications:
    """Which kinds of email the user gets; every kind is on until they turn it off."""

    shares: bool = True  # a file or folder shared with them
    requests: bool = True  # files received through their upload requests
    rejections: bool = True  # an upload of theirs was rejected


# Each preference and the profile attribute that holds it.
_NOTIFY = {"shares": "notifyShares", "requests": "notifyRequests", "rejections": "notifyRejections"}


@dataclass(frozen=True)
class Profile:
    user_id: str
    email: str
    name: str | None
    used_bytes: int
    file_count: int
    created_at: str | None = None
    quota_bytes: int | None = None  # an administrator's override; None: the default quota
    disabled: bool = False  # by an administrator
    listed: bool = True  # the administrators' index finds it (profiles written before: not)
    verified_email: str | None = None  # the address whose `EMAIL#` lookup this user holds
    notifications: Notifications = field(default_factory=Notifications)
    mfa: bool = False  # two-factor (TOTP) login is on


def _profile_key(user_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"USER#{user_id}"}, "sk": {"S": "PROFILE"}}


USERS = "USERS"  # the index partition of every profile (one partition: README "Administration")


def index_keys(user_id: str, email: str) -> dict[str, str]:
    """The profile's place in the administrators' index: every user, ordered by address."""
    return {"gsi1pk": USERS, "gsi1sk": f"{email.lower()}#{user_id}"}


def _email_key(email: str) -> dict[str, Any]:
    return {"pk": {"S": f"EMAIL#{email.lower()}"}, "sk": {"S": "EMAIL"}}


def save_profile(user_id: str, email: str, name: str | None = None) -> None:
    """Write the profile (and its place in the administrators' index); counters already there
    are kept. The email lookup is never written here: only `claim_email`, for an address
    Cognito has verified, writes it."""
    now = iso(utcnow())
    values = {":email": email, ":now": now, ":zero": 0} | ({":name": name} if name else {})
    keys = index_keys(user_id, email)
    with db.call():
        db.dynamodb().update_item(
            TableName=db.table_name(),
            Key=_profile_key(user_id),
            UpdateExpression=(
                "SET email = :email, createdAt = if_not_exists(createdAt, :now), "
                "usedBytes = if_not_exists(usedBytes, :zero), "
                "fileCount = if_not_exists(fileCount, :zero), gsi1pk = :gsi1pk, gsi1sk = :gsi1sk"
                + (", #name = :name" if name else "")
            ),
            **({"ExpressionAttributeNames": {"#name": "name"}} if name else {}),
            ExpressionAttributeValues=db.to_values(
                values | {f":{key}": value for key, value in keys.items()}
            ),
        )


def claim_email(user_id: str, email: str) -> bool:
    """Point the lookup of a verified `email` at `user_id`, unless it points at someone else.

    An address never moves from one user to another: False when another user holds it.
    """
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().put_item(
            TableName=db.table_name(),
            Item=_email_key(email) | db.to_item({"userId": user_id}),
            ConditionExpression="attribute_not_exists(pk) OR userId = :user",
            ExpressionAttributeValues=db.to_values({":user": user_id}),
        )
    return write.refused is None


def release_email(user_id: str, email: str) -> None:
    """Drop the lookup of `email`, only while it still points at `user_id`."""
    with db.call(db.CONDITION_FAILED):
        db.dynamodb().delete_item(
            TableName=db.table_name(),
            Key=_email_key(email),
            ConditionExpression="userId = :user",
            ExpressionAttributeValues=db.to_values({":user": user_id}),
        )


def set_verified_email(user_id: str, email: str | None) -> None:
    """Remember which address's lookup this user holds (None: none)."""
    update: dict[str, Any] = {"UpdateExpression": "REMOVE verifiedEmail"}
    if email:
        update = {
            "UpdateExpression": "SET verifiedEmail = :email",
            "ExpressionAttributeValues": db.to_values({":email": email.lower()}),
        }
    with db.call():
        db.dynamodb().update_item(TableName=db.table_name(), Key=_profile_key(user_id), **update)


def get_profile(user_id: str) -> Profile | None:
    with db.call():
        item = db.dynamodb().get_item(TableName=db.table_name(), Key=_profile_key(user_id))
    return profile_of(db.from_item(item.get("Item")))


def profile_of(values: dict[str, Any] | None) -> Profile | None:
    """The profile a raw item holds (None: not a profile any version of the API wrote)."""
    if not values or "email" not in values:
        return None
    return Profile(
        user_id=values["pk"].removeprefix("USER#"),
        email=values["email"],
        name=values.get("name"),
        used_bytes=int(values.get("usedBytes", 0)),
        file_count=int(values.get("fileCount", 0)),
        created_at=values.get("createdAt"),
        quota_bytes=values.get("quotaBytes"),
        disabled=values.get("disabled") is True,
        listed="gsi1pk" in values,
        verified_email=values.get("verifiedEmail"),
        notifications=Notifications(
            **{kind: values.get(attribute) is not False for kind, attribute in _NOTIFY.items()}
        ),
        mfa=values.get("mfa") is True,
    )


def update_profile(
    user_id: str, *, name: str | None = None, notifications: Mapping[str, bool] | None = None
) -> bool:
    """Change the name and the given preferences of an existing profile (never creates one);
    False when there is no profile."""
    changes: dict[str, Any] = {"#name": name} if name is not None else {}
    for kind, value in (notifications or {}).items():
        changes[f"#{_NOTIFY[kind]}"] = value
    if not changes:
        return get_profile(user_id) is not None
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().update_item(
            TableName=db.table_name(),
            Key=_profile_key(user_id),
            UpdateExpression="SET " + ", ".join(f"{key} = :{key[1:]}" for key in changes),
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={key: key[1:] for key in changes},
            ExpressionAttributeValues=db.to_values(
                {f":{key[1:]}": value for key, value in changes.items()}
            ),
        )
    return write.refused is None


def user_id_for_email(email: str) -> str | None:
    with db.call():
        item = db.dynamodb().get_item(TableName=db.table_name(), Key=_email_key(email))
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


def mfa_change(user_id: str, enabled: bool) -> dict[str, Any]:
    """A TransactWriteItems `Update` setting the profile's `mfa` flag together with the MFA
    item it describes (the admin list and GET /users/me read the flag, never the secret)."""
    return {
        "Update": {
            "TableName": db.table_name(),
            "Key": _profile_key(user_id),
            "UpdateExpression": "SET mfa = :mfa",
            "ExpressionAttributeValues": db.to_values({":mfa": enabled}),
        }
    }
