"""The administrators' audit log (item shapes live only here).

`AUDIT` / `<at>#<random>`, indexed as `AUDITOF#<target userId>` / `<at>#<random>` on gsi1, so
the whole log and one user's entries are each a newest-first Query. Administrators act
rarely, so one partition holds them all. Entries are kept (no TTL).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from app import db
from app.clock import iso

_PARTITION = "AUDIT"
Action = Literal["user_updated"]
Outcome = Literal["done", "failed"]  # failed: an error stopped it part way


@dataclass(frozen=True)
class Person:
    user_id: str
    email: str | None


@dataclass(frozen=True)
class Entry:
    at: str
    action: Action
    actor: Person
    target: Person
    before: dict[str, Any]
    after: dict[str, Any]
    outcome: Outcome
    ip: str | None


@dataclass(frozen=True)
class EntryPage:
    items: list[Entry]
    last_key: dict[str, Any] | None


def record(entry: Entry) -> None:
    sk = f"{entry.at}#{secrets.token_hex(4)}"
    values = {
        "pk": _PARTITION,
        "sk": sk,
        "gsi1pk": f"AUDITOF#{entry.target.user_id}",
        "gsi1sk": sk,
        "at": entry.at,
        "action": entry.action,
        "actorId": entry.actor.user_id,
        "actorEmail": entry.actor.email,
        "targetId": entry.target.user_id,
        "targetEmail": entry.target.email,
        "before": entry.before,
        "after": entry.after,
        "outcome": entry.outcome,
        "ip": entry.ip,
    }
    with db.call():
        db.dynamodb().put_item(TableName=db.table_name(), Item=db.to_item(values))


def entry(at: datetime, action: Action, actor: Person, target: Person, **rest: Any) -> Entry:
    """An entry stamped `at` (the item's time format)."""
    return Entry(at=iso(at), action=action, actor=actor, target=target, **rest)


def page(limit: int, start_key: dict[str, Any] | None, target_id: str | None = None) -> EntryPage:
    """One page of the log (or of one user's entries), newest first."""
    if target_id is None:
        params: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": db.to_values({":pk": _PARTITION}),
        }
        names: tuple[str, ...] = ("pk", "sk")
    else:
        params = {
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": db.to_values({":pk": f"AUDITOF#{target_id}"}),
        }
        names = ("pk", "sk", "gsi1pk", "gsi1sk")
    found = db.query_page(params | {"ScanIndexForward": False}, limit, start_key)
    last = found.last
    return EntryPage(
        items=[_entry(db.from_item(item) or {}) for item in found.items],
        last_key={name: last[name] for name in names} if last else None,
    )


def _entry(values: dict[str, Any]) -> Entry:
    return Entry(
        at=values["at"],
        action=values["action"],
        actor=Person(values["actorId"], values.get("actorEmail")),
        target=Person(values["targetId"], values.get("targetEmail")),
        before=_fields(values.get("before")),
        after=_fields(values.get("after")),
        outcome=values.get("outcome", "done"),
        ip=values.get("ip"),
    )


def _fields(values: dict[str, Any] | None) -> dict[str, Any]:
    """A stored before/after map, its numbers whole again (DynamoDB answers Decimals)."""
    return {k: int(v) if isinstance(v, Decimal) else v for k, v in (values or {}).items()}
