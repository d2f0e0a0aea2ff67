"""What the notifications sender keeps in DynamoDB (item shapes live only here).

`NOTIFY#REQUEST#<token> / WINDOW`: one upload request's email window: lastSentAt, the file
names waiting for the next email (`waiting`, at most MAX_NAMED) and how many wait
(`waitingCount`), the scheduled flush (`flushId`, `flushAt`), the last file added to the
waiting list (`lastWaitingId`), and `version`, which every write checks and bumps, so two
senders never both act on one state. It expires (`ttl`) a week after its last change.

`NOTIFY#EMAIL#<lower-case address> / INVITATIONS`: that address unsubscribed from invitations.
"""

from dataclasses import dataclass
from typing import Any

from app import db

MAX_NAMED = 20  # file names one email lists; the rest are counted
_KEPT_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Window:
    """What was last emailed about one upload request, and what waits for the next email."""

    last_sent_at: int | None = None  # epoch seconds
    waiting: tuple[str, ...] = ()
    waiting_count: int = 0
    flush_id: str | None = None
    flush_at: int | None = None  # epoch seconds
    last_waiting_id: str | None = None  # the file added last: a redelivered receipt is not
    version: int = 0  # 0: no item yet


def _window_key(token: str) -> dict[str, Any]:
    return {"pk": {"S": f"NOTIFY#REQUEST#{token}"}, "sk": {"S": "WINDOW"}}


def _suppression_key(email: str) -> dict[str, Any]:
    return {"pk": {"S": f"NOTIFY#EMAIL#{email.lower()}"}, "sk": {"S": "INVITATIONS"}}


def get_window(token: str) -> Window:
    """The request's window as it is now (a strongly consistent read); empty if none."""
    with db.call():
        answer = db.dynamodb().get_item(
            TableName=db.table_name(), Key=_window_key(token), ConsistentRead=True
        )
    values = db.from_item(answer.get("Item"))
    if not values:
        return Window()
    return Window(
        last_sent_at=values.get("lastSentAt"),
        waiting=tuple(values.get("waiting", ())),
        waiting_count=values.get("waitingCount", 0),
        flush_id=values.get("flushId"),
        flush_at=values.get("flushAt"),
        last_waiting_id=values.get("lastWaitingId"),
        version=values["version"],
    )


def put_window(token: str, window: Window, *, now: int) -> bool:
    """Write `window` as the next version of the one read (`window.version`); False when
    another writer got there first (read again and decide again)."""
    values = {
        "lastSentAt": window.last_sent_at,
        "waiting": list(window.waiting),
        "waitingCount": window.waiting_count,
        "flushId": window.flush_id,
        "flushAt": window.flush_at,
        "lastWaitingId": window.last_waiting_id,
        "version": window.version + 1,
        "ttl": now + _KEPT_SECONDS,
    }
    condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
    if window.version:
        condition = {
            "ConditionExpression": "version = :read",
            "ExpressionAttributeValues": db.to_values({":read": window.version}),
        }
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().put_item(
            TableName=db.table_name(),
            Item=_window_key(token) | db.to_item(values),
            **condition,
        )
    return write.refused is None


def suppress_invitations(email: str) -> None:
    """No more invitations to `email` (idempotent)."""
    with db.call():
        db.dynamodb().put_item(TableName=db.table_name(), Item=_suppression_key(email))


def invitations_suppressed(email: str) -> bool:
    with db.call():
        answer = db.dynamodb().get_item(TableName=db.table_name(), Key=_suppression_key(email))
    return "Item" in answer
