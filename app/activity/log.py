"""The per-file access log: who (or which link) did what, when, and from which IP.

Items live in the file's partition (`FILE#<fileId>` / `ACT#<at>#<random>`), so the owner's
newest-first page is one Query, and deleting the file's partition deletes its log.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from app import db
from app.access import subjects
from app.clock import iso
from app.users import repository as users

Action = Literal[
    "shared",
    "unshared",
    "link_created",
    "link_revoked",
    "link_downloaded",
    "downloaded",
    "request_upload",
]

# The log outlives most files' interest; TTL keeps it from growing without bound.
RETENTION_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True)
class Actor:
    user_id: str | None = None
    email: str | None = None
    link_token: str | None = None
    name: str | None = None  # as an upload request's sender gave it
    request_token: str | None = None


@dataclass(frozen=True)
class FileRef:
    """The file an entry of a folder's log concerns (what an upload request brought)."""

    file_id: str
    file_name: str


@dataclass(frozen=True)
class Entry:
    at: str
    action: Action
    actor: Actor
    ip: str | None
    target: Actor | None = None
    file: FileRef | None = None


@dataclass(frozen=True)
class EntryPage:
    items: list[Entry]
    last_key: dict[str, Any] | None


def user_actor(user_id: str, *, link_token: str | None = None) -> Actor:
    """The actor for a signed-in user, with the email the owner will recognise."""
    profile = users.get_profile(user_id)
    return Actor(user_id=user_id, email=profile.email if profile else None, link_token=link_token)


def record(
    file_id: str,
    action: Action,
    *,
    actor: Actor,
    ip: str | None,
    at: datetime,
    target: Actor | None = None,
    file: FileRef | None = None,
) -> None:
    values: dict[str, Any] = {
        "pk": subjects.partition(file_id),
        "sk": f"ACT#{iso(at)}#{secrets.token_hex(4)}",
        "at": iso(at),
        "action": action,
        "actor": _actor_map(actor),
        "target": _actor_map(target) if target else None,
        "ip": ip,
        "file": {"fileId": file.file_id, "fileName": file.file_name} if file else None,
        "ttl": int(at.timestamp()) + RETENTION_SECONDS,
    }
    with db.call():
        db.dynamodb().put_item(TableName=db.table_name(), Item=db.to_item(values))


def page(file_id: str, limit: int, start_key: dict[str, Any] | None) -> EntryPage:
    """One page of the file's log, newest first; a key to go on only when more rows exist."""
    page = db.query_page(
        {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :act)",
            "ExpressionAttributeValues": db.to_values(
                {":pk": subjects.partition(file_id), ":act": "ACT#"}
            ),
            "ScanIndexForward": False,
        },
        limit,
        start_key,
    )
    last = page.last
    return EntryPage(
        items=[_entry(db.from_item(item) or {}) for item in page.items],
        last_key={"pk": last["pk"], "sk": last["sk"]} if last else None,
    )


def purge(file_id: str) -> None:
    """A deleted file's log goes with it."""
    db.delete_prefixed(subjects.partition(file_id), ("ACT#",))


def _actor_map(actor: Actor) -> dict[str, str]:
    fields = {
        "userId": actor.user_id,
        "email": actor.email,
        "linkToken": actor.link_token,
        "name": actor.name,
        "requestToken": actor.request_token,
    }
    return {name: value for name, value in fields.items() if value is not None}


def _actor(values: dict[str, Any] | None) -> Actor:
    values = values or {}
    return Actor(
        user_id=values.get("userId"),
        email=values.get("email"),
        link_token=values.get("linkToken"),
        name=values.get("name"),
        request_token=values.get("requestToken"),
    )


def _entry(values: dict[str, Any]) -> Entry:
    return Entry(
        at=values["at"],
        action=values["action"],
        actor=_actor(values.get("actor")),
        ip=values.get("ip"),
        target=_actor(values["target"]) if values.get("target") else None,
        file=FileRef(file["fileId"], file["fileName"]) if (file := values.get("file")) else None,
    )
