"""Password attempts on links are counted in DynamoDB, so the limits hold across Lambdas.

Fixed five-minute windows (keyed by the window's start, dropped by TTL): at most
`MAX_PER_IP` attempts from one client IP over all links, and `MAX_PER_LINK` on one link from
anywhere. Each count is one conditional `ADD`, taken *before* the password is checked, so
parallel guesses serialize on the counter item and none is evaluated past the limit. Every
attempt that carries a password counts, the right one included: counting only failures would
need the check to run before the count, which is the hole this closes.

The IP is counted first: an address over its budget cannot spend the budgets of links.
"""

from datetime import datetime
from typing import Any

from app import db
from app.shares.errors import TooManyPasswordAttempts

MAX_PER_LINK = 5
MAX_PER_IP = 20
WINDOW_SECONDS = 300


def _window_start(now: datetime) -> int:
    epoch = int(now.timestamp())
    return epoch - epoch % WINDOW_SECONDS


def _key(subject: str, window_start: int) -> dict[str, Any]:
    return {"pk": {"S": subject}, "sk": {"S": f"THROTTLE#{window_start}"}}


def take_attempt(token: str, ip: str | None, now: datetime) -> None:
    """Count one password attempt for `ip` and the link, or raise TooManyPasswordAttempts."""
    start = _window_start(now)
    if ip is not None:
        _count(f"IP#{ip}", MAX_PER_IP, start, now)
    _count(f"LINK#{token}", MAX_PER_LINK, start, now)


def _count(subject: str, limit: int, start: int, now: datetime) -> None:
    with db.call(db.CONDITION_FAILED) as counting:
        db.dynamodb().update_item(
            TableName=db.table_name(),
            Key=_key(subject, start),
            UpdateExpression="ADD attempts :one SET #ttl = :ttl",
            ConditionExpression="attribute_not_exists(attempts) OR attempts < :limit",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues=db.to_values(
                {":one": 1, ":limit": limit, ":ttl": start + 2 * WINDOW_SECONDS}
            ),
        )
    if counting.refused:
        retry_after = max(1, start + WINDOW_SECONDS - int(now.timestamp()))
        raise TooManyPasswordAttempts(retry_after=retry_after) from counting.refused
