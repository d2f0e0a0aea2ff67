"""Service-wide totals for administrators, none of them read by walking the table per request.

`users`, `files` and `bytes` are the sums of the profiles' own counters (which move in the same
transactions as the files), recounted by the worker's once-a-minute tick whenever the last
count is older than STATS_RECOUNT_SECONDS: exact as of `countedAt`, at a cost of one read of
every profile per recount. Uploads and active links are counted as they happen, in 10-minute
windows (app/stats/counters.py).
"""

from datetime import datetime, timedelta

from app.admin.schemas import AdminStats
from app.clock import iso
from app.settings import get_settings
from app.stats import counters
from app.users import index


def stats(now: datetime) -> AdminStats:
    """Three reads: the last recount, and a Query each of the upload and link windows."""
    totals = counters.totals()
    return AdminStats(
        users=totals.users if totals else 0,
        files=totals.files if totals else 0,
        bytes=totals.bytes if totals else 0,
        uploads_last24h=counters.uploads_in_last_day(now),
        active_links=counters.links_active(now),
        counted_at=iso(totals.counted_at) if totals else None,
    )


def recount(now: datetime) -> counters.Totals:
    """Sum every profile's usage (one read of each) and keep the result."""
    users = files = used = 0
    for file_count, used_bytes in index.usages():
        users, files, used = users + 1, files + file_count, used + used_bytes
    totals = counters.Totals(users=users, files=files, bytes=used, counted_at=now)
    counters.save_totals(totals)
    return totals


def recount_if_due(now: datetime) -> bool:
    """The worker's tick: recount when the last count is STATS_RECOUNT_SECONDS old (one
    GetItem when it is not); whether it did."""
    last = counters.totals()
    every = timedelta(seconds=get_settings().stats_recount_seconds)
    if last is not None and now - last.counted_at < every:
        return False
    recount(now)
    return True
