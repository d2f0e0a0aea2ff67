"""Two-factor items in DynamoDB (their shapes live only here).

`USER#<sub> / MFA`: the user's TOTP secret, sealed (app/mfa/vault.py), `enabled` (false from
setup until the first code is checked), `createdAt`, `enabledAt`, and `lastStep`: the last time
step whose code was accepted, so a code is never accepted twice (RFC 6238 §5.2). The profile's
`mfa` flag moves with `enabled`, in the same transaction.

`MFALOGIN#<sha256 of the Cognito session> / LOGIN`: a log-in waiting for its code: `userId`,
`email`, `expiresAt` (epoch s), `usedAt` once a code was accepted for it, and `ttl`. Only the
session's hash is stored: the table never holds what would let someone answer the challenge.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from app import db
from app.users import repository as users

# How long a log-in challenge item stays after it expires, for "expired" to be told apart
# from "never existed" (then DynamoDB's TTL drops it).
_KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class MfaRecord:
    user_id: str
    sealed_secret: str
    enabled: bool
    last_step: int | None


@dataclass(frozen=True)
class LoginChallenge:
    user_id: str
    email: str
    expires_at: int
    used: bool


def _mfa_key(user_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"USER#{user_id}"}, "sk": {"S": "MFA"}}


def _login_key(session: str) -> dict[str, Any]:
    digest = hashlib.sha256(session.encode()).hexdigest()
    return {"pk": {"S": f"MFALOGIN#{digest}"}, "sk": {"S": "LOGIN"}}


def _transact(items: list[dict[str, Any]]) -> bool:
    with db.call(db.TRANSACTION_CANCELED) as write:
        db.dynamodb().transact_write_items(TransactItems=items)
    return write.refused is None


def get(user_id: str) -> MfaRecord | None:
    with db.call():
        item = db.dynamodb().get_item(
            TableName=db.table_name(), Key=_mfa_key(user_id), ConsistentRead=True
        )
    values = db.from_item(item.get("Item"))
    if not values:
        return None
    return MfaRecord(
        user_id=user_id,
        sealed_secret=values["secret"],
        enabled=values.get("enabled") is True,
        last_step=values.get("lastStep"),
    )


def save_pending(user_id: str, sealed_secret: str, now: str) -> bool:
    """Store a new secret waiting for its first code (replacing one that waited); False when
    two-factor login is already on (its secret is never replaced)."""
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().put_item(
            TableName=db.table_name(),
            Item=_mfa_key(user_id)
            | db.to_item({"secret": sealed_secret, "enabled": False, "createdAt": now}),
            ConditionExpression="attribute_not_exists(pk) OR enabled = :off",
            ExpressionAttributeValues=db.to_values({":off": False}),
        )
    return write.refused is None


def use_step(user_id: str, step: int) -> bool:
    """Record that the code of `step` was accepted; False when that step or a later one
    already was (a replayed code), or the secret is gone."""
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().update_item(
            TableName=db.table_name(),
            Key=_mfa_key(user_id),
            UpdateExpression="SET lastStep = :step",
            ConditionExpression=(
                "attribute_exists(pk) AND (attribute_not_exists(lastStep) OR lastStep < :step)"
            ),
            ExpressionAttributeValues=db.to_values({":step": step}),
        )
    return write.refused is None


def enable(user_id: str, sealed_secret: str, now: str) -> bool:
    """Turn two-factor login on with the secret that was checked, and the profile's flag with
    it; False when that secret was replaced or already enabled meanwhile."""
    update = {
        "Update": {
            "TableName": db.table_name(),
            "Key": _mfa_key(user_id),
            "UpdateExpression": "SET enabled = :on, enabledAt = :now",
            "ConditionExpression": "secret = :secret AND enabled = :off",
            "ExpressionAttributeValues": db.to_values(
                {":on": True, ":off": False, ":now": now, ":secret": sealed_secret}
            ),
        }
    }
    return _transact([update, users.mfa_change(user_id, True)])


def disable(user_id: str) -> bool:
    """Forget the secret and clear the profile's flag; False when it was not on."""
    delete = {
        "Delete": {
            "TableName": db.table_name(),
            "Key": _mfa_key(user_id),
            "ConditionExpression": "enabled = :on",
            "ExpressionAttributeValues": db.to_values({":on": True}),
        }
    }
    return _transact([delete, users.mfa_change(user_id, False)])


def save_login(session: str, user_id: str, email: str, expires_at: int) -> None:
    with db.call():
        db.dynamodb().put_item(
            TableName=db.table_name(),
            Item=_login_key(session)
            | db.to_item(
                {
                    "userId": user_id,
                    "email": email.lower(),
                    "expiresAt": expires_at,
                    "ttl": expires_at + _KEEP_SECONDS,
                }
            ),
        )


def get_login(session: str) -> LoginChallenge | None:
    with db.call():
        item = db.dynamodb().get_item(
            TableName=db.table_name(), Key=_login_key(session), ConsistentRead=True
        )
    values = db.from_item(item.get("Item"))
    if not values:
        return None
    return LoginChallenge(
        user_id=values["userId"],
        email=values["email"],
        expires_at=int(values["expiresAt"]),
        used="usedAt" in values,
    )


def spend_login(session: str, now: str) -> bool:
    """Mark the challenge answered, once: False when it already was (or is gone)."""
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().update_item(
            TableName=db.table_name(),
            Key=_login_key(session),
            UpdateExpression="SET usedAt = :now",
            ConditionExpression="attribute_exists(pk) AND attribute_not_exists(usedAt)",
            ExpressionAttributeValues=db.to_values({":now": now}),
        )
    return write.refused is None
