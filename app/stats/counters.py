"""The counters behind `GET /admin/stats` (item shapes live only here).

`STATS` / `TOTALS`: users, files, bytes and countedAt: the worker's periodic recount of the
profiles (app/admin/stats.py). The other two count in 10-minute windows (`<window start,
epoch:012d>`), one item per window, so a total is one Query of a bounded number of tiny items:
`STATS#UPLOADS`: uploads verified in that window (new files and new versions); `STATS#LINKS`:
links that expire in that window and still work (+1 when one is made, -1 when it is revoked,
runs out of downloads or goes with its file). A counter write is one UpdateItem outside any
transaction: a shared counter inside the files' transactions would make concurrent uploads
cancel each other. One that fails is logged and lost; its window is off by one until it ages
out of what is read.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app import db
from app.clock import iso, parse_iso
from app.errors import ServiceUnavailable

log = logging.getLogger("sharebox.stats")
WINDOW_SECONDS = 600
_UPLOADS, _LINKS = "STATS#UPLOADS", "STATS#LINKS"
_TOTALS = {"pk": {"S": "STATS"}, "sk": {"S": "TOTALS"}}
_KEEP_SECONDS = 2 * 24 * 3600  # past the last day's read, TTL removes a window


@dataclass(frozen=True)
class Totals:
    users: int
    files: int
    bytes: int
    counted_at: datetime


def window(moment: datetime) -> int:
    """The start (epoch seconds) of the 10-minute window `moment` falls in."""
    epoch = int(moment.timestamp())
    return epoch - epoch % WINDOW_SECONDS


def _add(partition: str, start: int, delta: int) -> None:
    try:
        with db.call():
            db.dynamodb().update_item(
                TableName=db.table_name(),
                Key={"pk": {"S": partition}, "sk": {"S": f"{start:012d}"}},
                UpdateExpression="ADD #count :delta SET #ttl = :ttl",
                ExpressionAttributeNames={"#count": "count", "#ttl": "ttl"},
                ExpressionAttributeValues=db.to_values(
                    {":delta": delta, ":ttl": start + WINDOW_SECONDS + _KEEP_SECONDS}
                ),
            )
    except ServiceUnavailable:  # the fact itself is written: a count is not worth its 503
        log.warning("stats counter not written", extra={"counter": partition, "delta": delta})


def upload_verified(at: datetime) -> None:
    """Count one verified upload."""
    _add(_UPLOADS, window(at), 1)


def link_opened(expires_at: datetime) -> None:
    """Count one new link, until its expiry."""
    _add(_LINKS, window(expires_at), 1)


def links_closed(expiries: Iterable[datetime]) -> None:
    """Stop counting links before their expiry (revoked, out of downloads, gone with their
    file): one write per window among them."""
    for start, closed in sorted(Counter(window(expiry) for expiry in expiries).items()):
        _add(_LINKS, start, -closed)


def _sum_from(partition: str, start: int) -> int:
    items = db.query_all(
        {
            "KeyConditionExpression": "pk = :pk AND sk >= :from",
            "ExpressionAttributeNames": {"#count": "count"},
            "ExpressionAttributeValues": db.to_values({":pk": partition, ":from": f"{start:012d}"}),
            "ProjectionExpression": "#count",
        }
    )
    return sum(int((db.from_item(item) or {}).get("count", 0)) for item in items)


def uploads_in_last_day(now: datetime) -> int:
    """Uploads verified in the 144 windows up to now: the last 23 h 50 min to 24 h."""
    return _sum_from(_UPLOADS, window(now - timedelta(days=1)) + WINDOW_SECONDS)


def links_active(now: datetime) -> int:
    """Links that still work: those expiring in this window or later (a link that expired
    earlier in this window still counts, until the window ends)."""
    return _sum_from(_LINKS, window(now))


def totals() -> Totals | None:
    """The last recount, None before the first."""
    with db.call():
        answer = db.dynamodb().get_item(TableName=db.table_name(), Key=_TOTALS)
    values: dict[str, Any] | None = db.from_item(answer.get("Item"))
    if not values:
        return None
    return Totals(
        users=int(values["users"]),
        files=int(values["files"]),
        bytes=int(values["bytes"]),
        counted_at=parse_iso(values["countedAt"]),
    )


def save_totals(totals: Totals) -> None:
    """Replace the recount's result."""
    item = _TOTALS | db.to_item(
        {
            "users": totals.users,
            "files": totals.files,
            "bytes": totals.bytes,
            "countedAt": iso(totals.counted_at),
        }
    )
    with db.call():
        db.dynamodb().put_item(TableName=db.table_name(), Item=item)
