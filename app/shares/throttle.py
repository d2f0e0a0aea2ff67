"""Wrong link passwords are counted per link in DynamoDB, so the limit holds across Lambdas.

A fixed window per link: after `MAX_FAILURES` wrong passwords within `WINDOW_SECONDS`,
every download attempt of that link (right password included) answers 429 until the
window ends. Counting per link rather than per IP means spreading guesses over many
addresses does not help; the counter item expires through TTL.
"""

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from app import db
from app.errors import TooManyRequests

MAX_FAILURES = 5
WINDOW_SECONDS = 300


class TooManyPasswordAttempts(TooManyRequests):
    code, detail = "too_many_attempts", "Too many wrong passwords for this link; retry later."


def _window_start(now: datetime) -> int:
    epoch = int(now.timestamp())
    return epoch - epoch % WINDOW_SECONDS


def _key(token: str, window_start: int) -> dict[str, Any]:
    return {"pk": {"S": f"LINK#{token}"}, "sk": {"S": f"THROTTLE#{window_start}"}}


def ensure_allowed(token: str, now: datetime) -> None:
    """Raise TooManyPasswordAttempts while this link's window is spent."""
    start = _window_start(now)
    try:
        item = db.dynamodb().get_item(
            TableName=db.table_name(), Key=_key(token, start), ConsistentRead=True
        )
    except ClientError as exc:
        raise db.unavailable(exc) from exc
    failures = int((db.from_item(item.get("Item")) or {}).get("failures", 0))
    if failures >= MAX_FAILURES:
        retry_after = max(1, start + WINDOW_SECONDS - int(now.timestamp()))
        raise TooManyPasswordAttempts(retry_after=retry_after)


def record_failure(token: str, now: datetime) -> int:
    """Count one wrong password in the current window; returns the window's count."""
    start = _window_start(now)
    try:
        result = db.dynamodb().update_item(
            TableName=db.table_name(),
            Key=_key(token, start),
            UpdateExpression="ADD failures :one SET #ttl = :ttl",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues=db.to_values({":one": 1, ":ttl": start + 2 * WINDOW_SECONDS}),
            ReturnValues="UPDATED_NEW",
        )
    except ClientError as exc:
        raise db.unavailable(exc) from exc
    return int(db.from_item(result["Attributes"])["failures"])  # type: ignore[index]
