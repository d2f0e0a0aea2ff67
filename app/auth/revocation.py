"""Logout records: access tokens issued before a user's logout (or before an administrator
disabled the account) are refused from then on.

Cognito's GlobalSignOut stops refresh tokens, but access tokens stay valid until they
expire, so the API keeps one DynamoDB item per user (`revokedBefore` plus the logged-out
sessions' `origin_jti`, since `iat` has one-second resolution). Each process caches a
user's record for a few seconds so the check costs a dict lookup on most requests.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app import db
from app.auth.tokens import AccessClaims

# Access tokens live at most a day in Cognito; the record may go once they all expired.
_RECORD_TTL_SECONDS = 24 * 3600 + 300


@dataclass(frozen=True)
class Revocation:
    revoked_before: int = 0
    revoked_jtis: frozenset[str] = field(default_factory=frozenset)

    def refuses(self, claims: AccessClaims) -> bool:
        return claims.iat < self.revoked_before or (
            claims.origin_jti is not None and claims.origin_jti in self.revoked_jtis
        )


def _record(item: dict[str, Any]) -> Revocation:
    return Revocation(
        revoked_before=int(item.get("revokedBefore", 0)),
        revoked_jtis=frozenset(item.get("revokedJtis", ())),
    )


def _key(user_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": f"USER#{user_id}"}, "sk": {"S": "REVOCATION"}}


class RevocationStore:
    def __init__(
        self, *, cache_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, Revocation]] = {}
        self._lock = threading.Lock()

    def cached(self, user_id: str) -> Revocation | None:
        """The record if this process read it recently, without any I/O."""
        entry = self._cache.get(user_id)
        if entry and self._clock() - entry[0] < self._cache_seconds:
            return entry[1]
        return None

    def get(self, user_id: str) -> Revocation:
        cached = self.cached(user_id)
        if cached is not None:
            return cached
        with db.call():
            item = db.from_item(
                db.dynamodb().get_item(TableName=db.table_name(), Key=_key(user_id)).get("Item")
            )
        record = _record(item) if item else Revocation()
        self._remember(user_id, record)
        return record

    def revoke(self, claims: AccessClaims, now: float | None = None) -> None:
        """Refuse every access token of `claims.sub` issued before now, and this session's."""
        now = time.time() if now is None else now
        self.revoke_user(claims.sub, int(now), session=claims.origin_jti)

    def revoke_user(self, user_id: str, before: int, *, session: str | None = None) -> None:
        """Refuse every access token of `user_id` issued before the epoch second `before`
        (and the session `session`'s, whenever issued): the user's own claims are not needed,
        so an administrator disabling an account uses it too."""
        names = {"#before": "revokedBefore", "#ttl": "ttl"}
        values = {":before": before, ":ttl": before + _RECORD_TTL_SECONDS}
        update = "SET #before = :before, #ttl = :ttl"
        if session:
            update += " ADD #jtis :jti"
            names["#jtis"] = "revokedJtis"
            values[":jti"] = {session}  # type: ignore[assignment]
        with db.call():
            result = db.dynamodb().update_item(
                TableName=db.table_name(),
                Key=_key(user_id),
                UpdateExpression=update,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=db.to_values(values),
                ReturnValues="ALL_NEW",
            )
        # This process refuses the tokens from now on; the others once their copy is older
        # than `cache_seconds`.
        self._remember(user_id, _record(db.from_item(result["Attributes"]) or {}))

    def _remember(self, user_id: str, record: Revocation) -> None:
        with self._lock:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[user_id] = (self._clock(), record)
