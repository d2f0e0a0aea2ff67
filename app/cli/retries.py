"""Retries with exponential backoff and jitter, for the API and for S3's presigned URLs alike.

A request that cannot have done anything (the connection never opened, or the server said 429)
is always retried; other failures (a reset mid-request, 5xx) only where doing the request twice
is harmless: this API's 503 can come after a write went through (an AWS call that timed out)."""

import random
import threading
import time
from collections.abc import Callable

import httpx

from app.cli.errors import CliError

ATTEMPTS = 6
UNPROCESSED = frozenset({429})
TRANSIENT = UNPROCESSED | {500, 502, 503, 504}
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
LONGEST_WAIT = 30.0


def backoff(attempt: int, retry_after: str | None = None) -> float:
    """Seconds to wait before attempt `attempt + 1`: Retry-After when the server gave one."""
    if retry_after and retry_after.strip().isdigit():
        return min(float(retry_after), LONGEST_WAIT)
    return random.uniform(0, min(0.25 * 2**attempt, 8.0))


def send(
    request: Callable[[], httpx.Response],
    *,
    idempotent: bool,
    attempts: int = ATTEMPTS,
    stop: threading.Event | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> httpx.Response:
    """The first answer that is not a transient failure, or the last one there was. Once
    `stop` is set (Ctrl-C), no new attempt starts."""
    retried = TRANSIENT if idempotent else UNPROCESSED
    for attempt in range(attempts):
        last = attempt + 1 == attempts or (stop is not None and stop.is_set())
        try:
            response = request()
        except httpx.TransportError as exc:
            if last or not (idempotent or isinstance(exc, NOT_SENT)):
                reason = str(exc) or type(exc).__name__
                raise CliError(f"the connection failed: {reason}", "connection_failed") from exc
            sleep(backoff(attempt))
            continue
        if response.status_code not in retried or last:
            return response
        response.close()
        sleep(backoff(attempt, response.headers.get("retry-after")))
    raise AssertionError("unreachable")
