"""Counts in fixed time windows, kept in DynamoDB so the limits hold across Lambdas: password
attempts on links and upload requests, new uploads through upload requests, and an owner's
invitations of addresses with no account.

Each window is one item per subject (`<kind>#<id>` / `<counter>#<windowStart>`, dropped by
TTL), and each count one conditional `ADD`, so parallel callers serialize on the item and none
passes the limit. Password attempts are counted *before* the password is checked: at most
`MAX_PER_LINK` per link or request and `MAX_PER_IP` per client IP over all of them. Every
attempt that carries a password counts, the right one included: counting only failures would
need the check to run before the count, which is the hole this closes. An upload request's
sender gives the password with every file, so there the right one's count is taken back
after the check (`right_is_free`).

The IP is counted first: an address over its budget cannot spend the budgets of links.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import db
from app.shares.errors import TooManyPasswordAttempts
from app.shares.passwords import verify_password

# The subjects counts belong to (the partition key's prefix).
IP, LINK, REQUEST, INVITER = "IP", "LINK", "REQUEST", "INVITER"
WINDOW_SECONDS = 300


@dataclass(frozen=True)
class Limit:
    """At most `per_window` counts of `counter` per subject in each fixed window."""

    counter: str
    per_window: int
    window_seconds: int = WINDOW_SECONDS


PASSWORDS_PER_LINK = Limit("THROTTLE", 5)
PASSWORDS_PER_IP = Limit("THROTTLE", 20)
MAX_PER_LINK = PASSWORDS_PER_LINK.per_window
MAX_PER_IP = PASSWORDS_PER_IP.per_window


def count(kind: str, subject_id: str, limit: Limit, now: datetime) -> int | None:
    """Count one for the subject in the current window: None within the limit, else (nothing
    counted) the seconds until the window ends, for `Retry-After`."""
    epoch = int(now.timestamp())
    start = epoch - epoch % limit.window_seconds
    with db.call(db.CONDITION_FAILED) as counting:
        db.dynamodb().update_item(
            TableName=db.table_name(),
            Key=_key(f"{kind}#{subject_id}", f"{limit.counter}#{start}"),
            UpdateExpression="ADD attempts :one SET #ttl = :ttl",
            ConditionExpression="attribute_not_exists(attempts) OR attempts < :limit",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues=db.to_values(
                {":one": 1, ":limit": limit.per_window, ":ttl": start + 2 * limit.window_seconds}
            ),
        )
    if counting.refused:
        return max(1, start + limit.window_seconds - epoch)
    return None


def uncount(kind: str, subject_id: str, limit: Limit, now: datetime) -> None:
    """Take back one count of the window `now` falls in (never below zero, never making one)."""
    epoch = int(now.timestamp())
    start = epoch - epoch % limit.window_seconds
    with db.call(db.CONDITION_FAILED):
        db.dynamodb().update_item(
            TableName=db.table_name(),
            Key=_key(f"{kind}#{subject_id}", f"{limit.counter}#{start}"),
            UpdateExpression="ADD attempts :minus",
            ConditionExpression="attempts > :zero",
            ExpressionAttributeValues=db.to_values({":minus": -1, ":zero": 0}),
        )


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def spend(
    kind: str, subject_id: str, ip: str | None, *, per_subject: Limit, per_ip: Limit, now: datetime
) -> int | None:
    """Count one for `ip` (first) and for the subject: None within both limits, else the
    seconds to wait."""
    retry_after = count(IP, ip, per_ip, now) if ip is not None else None
    return retry_after or count(kind, subject_id, per_subject, now)


def take_attempt(token: str, ip: str | None, now: datetime, *, kind: str = LINK) -> None:
    """Count one password attempt for `ip` and the link (or request), or raise
    TooManyPasswordAttempts."""
    retry_after = spend(
        kind, token, ip, per_subject=PASSWORDS_PER_LINK, per_ip=PASSWORDS_PER_IP, now=now
    )
    if retry_after is not None:
        raise TooManyPasswordAttempts(retry_after=retry_after)


def password_matches(
    stored: str,
    password: str | None,
    *,
    kind: str,
    token: str,
    ip: str | None,
    now: datetime,
    right_is_free: bool = False,
) -> bool:
    """Whether `password` is the one `stored` hashes, counted first (429 past the limits).

    No password is simply wrong: with nothing to evaluate, nothing is counted. With
    `right_is_free` (an upload request, whose sender gives the password with every file) the
    right one's count is taken back once checked, so only wrong guesses use up the budgets.
    """
    if password is None:
        return False
    take_attempt(token, ip, now, kind=kind)  # first: parallel guesses cannot slip past it
    matches = verify_password(password, stored)
    if matches and right_is_free:
        uncount(kind, token, PASSWORDS_PER_LINK, now)
        if ip is not None:
            uncount(IP, ip, PASSWORDS_PER_IP, now)
    return matches
