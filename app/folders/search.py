"""`GET /search`: the caller's own files and folders whose name contains `q`, case-insensitive.

It reads the caller's own rows only, two index Queries (`FOLDERS#<me>`, then `OWNER#<me>` on
gsi1), and never scans the table: a search costs at most as many items as the caller has,
and stops at one match past the page. Names are matched here, with Unicode case folding,
which a DynamoDB filter cannot do (`contains` is case-sensitive).
"""

from typing import Any

from app import db
from app.clock import utcnow
from app.files import repository as files
from app.files.repository import PENDING
from app.folders.schemas import Entry, ItemPage
from app.folders.service import entry
from app.pagination import InvalidCursor, decode_cursor, encode_cursor
from app.tree import repository as tree

_CHUNK = 100  # rows a Query reads at a time while looking for matches
_KEY = ("pk", "sk", "gsi1pk", "gsi1sk")


def _name(item: dict[str, Any]) -> str:
    field = "name" if item["pk"]["S"].startswith("FOLDER#") else "fileName"
    return item.get(field, {}).get("S", "")


def _live(item: dict[str, Any], now: int) -> bool:
    """Not in the trash nor below a deleted folder, not past its expiry, nor a pending upload
    whose window closed (lists hide those too)."""
    if "purging" in item or "deleting" in item:
        return False
    if "expiry" in item and int(item["expiry"]["N"]) <= now:
        return False
    if item.get("status", {}).get("S") != PENDING:
        return True
    return int(item.get("expiresAt", {}).get("N", "0")) > now


def _phases(user_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The two Queries a search reads through, in order: folders, then files."""
    return [("D", tree.owned_folders_query(user_id)), ("F", files.owned_files_query(user_id))]


def _partition(query: dict[str, Any]) -> str:
    (value,) = query["ExpressionAttributeValues"].values()
    return str(value["S"])


def _start(state: dict[str, Any], partition: str) -> dict[str, Any] | None:
    key = state.get("key")
    if key is None:
        return None
    if not isinstance(key, dict) or set(key) != set(_KEY):
        raise InvalidCursor()
    if not all(isinstance(key[n], str) for n in _KEY) or key["gsi1pk"] != partition:
        raise InvalidCursor()
    return {name: {"S": key[name]} for name in _KEY}


def search(user_id: str, q: str, limit: int, cursor: str | None) -> ItemPage:
    needle = q.casefold()
    scope = f"search:{user_id}:{needle}"
    state = decode_cursor(cursor, scope) or {"phase": "D", "key": None}
    phases = _phases(user_id)
    names = [phase for phase, _ in phases]
    if state.get("phase") not in names:
        raise InvalidCursor()
    now = int(utcnow().timestamp())
    matches: list[tuple[str, dict[str, Any]]] = []
    for phase, query in phases[names.index(state["phase"]) :]:
        start = _start(state, _partition(query)) if phase == state["phase"] else None
        while len(matches) <= limit:
            request = {"TableName": db.table_name(), **query, "Limit": _CHUNK}
            if start:
                request["ExclusiveStartKey"] = start
            with db.call():
                answer = db.dynamodb().query(**request)
            for item in answer.get("Items", []):
                if needle in _name(item).casefold() and _live(item, now):
                    matches.append((phase, item))
                    if len(matches) > limit:
                        break
            start = answer.get("LastEvaluatedKey")
            if not start:
                break
        if len(matches) > limit:
            break
    next_state = None
    if len(matches) > limit:
        phase, last = matches[limit - 1]
        next_state = {"phase": phase, "key": {name: last[name]["S"] for name in _KEY}}
    items: list[Entry] = [entry(item, user_id) for _, item in matches[:limit]]
    return ItemPage(items=items, next_cursor=encode_cursor(next_state, scope))
