"""A bar per file and one for the total, on stderr; none for --json, --quiet or no terminal."""

from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)


class Bars:
    def __init__(self, enabled: bool, total_bytes: int, verb: str) -> None:
        self._bars: Progress | None = None
        if enabled:
            self._bars = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                DownloadColumn(binary_units=True),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._total = self._bars.add_task(f"{verb} (total)", total=total_bytes)

    def __enter__(self) -> "Bars":
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._bars is not None:
            self._bars.stop()

    def file(self, name: str, size: int) -> Any:
        """A bar for one file; its handle goes to `advance` and `finish`."""
        if self._bars is None:
            return None
        return self._bars.add_task(name[-40:], total=size)

    def advance(self, task: TaskID | None, amount: int) -> None:
        """Thread-safe (rich locks its tasks)."""
        if self._bars is not None and task is not None:
            self._bars.advance(task, amount)
            self._bars.advance(self._total, amount)

    def finish(self, task: TaskID | None) -> None:
        """A finished file's bar goes, so a folder of thousands keeps a short screen."""
        if self._bars is not None and task is not None:
            self._bars.remove_task(task)
