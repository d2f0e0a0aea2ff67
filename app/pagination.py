"""Opaque, signed list cursors: a DynamoDB key the server handed out, bound to one listing."""

import base64
import hashlib
import hmac
import json
from typing import Annotated, Any

from fastapi import Query

from app.errors import BadRequest
from app.settings import get_settings

Limit = Annotated[int, Query(ge=1, le=100, description="Page size, 1..100.")]
Cursor = Annotated[
    str | None,
    Query(
        max_length=2048, description="The previous page's `nextCursor`; omit for the first page."
    ),
]


class InvalidCursor(BadRequest):
    code, detail = "invalid_cursor", "The cursor is not one this listing handed out."


def _mac(scope: str, payload: bytes) -> bytes:
    key = get_settings().cursor_secret.encode()
    return hmac.new(key, scope.encode() + b"\x00" + payload, hashlib.sha256).digest()[:16]


def encode_cursor(last_key: dict[str, Any] | None, scope: str) -> str | None:
    """Sign `last_key` for `scope` (e.g. "files:<userId>"); None stays None (last page)."""
    if not last_key:
        return None
    payload = json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(_mac(scope, payload) + payload).decode().rstrip("=")


def decode_cursor(cursor: str | None, scope: str) -> dict[str, Any] | None:
    """The DynamoDB ExclusiveStartKey for `cursor`, or InvalidCursor if it was not ours."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (ValueError, TypeError) as exc:
        raise InvalidCursor() from exc
    mac, payload = raw[:16], raw[16:]
    if len(mac) != 16 or not hmac.compare_digest(mac, _mac(scope, payload)):
        raise InvalidCursor()
    try:
        key = json.loads(payload)
    except ValueError as exc:
        raise InvalidCursor() from exc
    if not isinstance(key, dict):
        raise InvalidCursor()
    return key
