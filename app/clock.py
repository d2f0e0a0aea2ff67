"""Time as a dependency, so expiry and throttling are tested with a clock, not with sleeps."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends

Now = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


async def get_clock() -> Now:
    """The routes' clock: the real time (tests override this dependency with a settable one).

    Async so FastAPI does not hop to a worker thread to resolve it.
    """
    return utcnow


def iso(moment: datetime) -> str:
    """Fixed-width UTC ISO 8601 with microseconds: sorts as text in the same order as in time."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


Clock = Annotated[Now, Depends(get_clock)]
