"""What uploads and downloads share: the API, the storage client, the bars, and Ctrl-C."""

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import httpx

from app.cli.api import Api
from app.cli.progress import Bars

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Transfer:
    api: Api
    s3: httpx.Client  # presigned URLs only: never the API's token
    bars: Bars
    parallel: int = 8
    stop: threading.Event = field(default_factory=threading.Event)

    def interrupt(self) -> None:
        """Ctrl-C: nothing new starts, and what is in flight fails at once."""
        self.stop.set()
        self.s3.close()

    def side_by_side(
        self, work: Callable[[T], R], items: Iterable[T], failed: threading.Event
    ) -> list[R]:
        """`work` over `items`, `parallel` at a time, answers in order. `failed` is set when it
        ends (the workers check it, so nothing new starts once one part failed); Ctrl-C
        interrupts everything in flight."""
        pool = ThreadPoolExecutor(max_workers=max(1, self.parallel))
        try:
            return list(pool.map(work, items))
        except KeyboardInterrupt:
            self.interrupt()
            raise
        finally:
            failed.set()
            pool.shutdown(wait=True, cancel_futures=True)
