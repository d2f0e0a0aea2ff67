"""Resume: what an upload command has done so far, on disk under the user's state directory,
so the same command run again after Ctrl-C or a crash sends only what is missing. One JSON line
per step (appended: a folder of thousands of files costs linear writes; a line a crash cut short
is skipped); the file goes once everything is up."""

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import platformdirs


def state_dir() -> Path:
    return platformdirs.user_state_path("sharebox") / "uploads"


class Job:
    """One upload command (server, sources, destination) and each file's progress."""

    def __init__(self, url: str, sources: list[Path], destination: str) -> None:
        key = json.dumps([url, sorted(str(p.resolve()) for p in sources), destination])
        self.path = state_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.jsonl"
        self._lock = threading.Lock()
        self._files: dict[str, dict[str, Any]] = {}
        try:
            lines = self.path.read_text().splitlines()
        except FileNotFoundError:
            lines = []
        for line in lines:
            try:
                name, facts = json.loads(line)
            except ValueError:
                continue
            self._files[name] = facts

    @staticmethod
    def identity(path: Path) -> dict[str, int]:
        stat = path.stat()
        return {"size": stat.st_size, "mtime": stat.st_mtime_ns}

    def previous(self, path: Path) -> dict[str, Any]:
        """What was recorded for `path`, even if the file changed since."""
        return dict(self._files.get(str(path.resolve()), {}))

    def entry(self, path: Path) -> dict[str, Any]:
        """What was done for `path`, unless the file changed since (then: nothing)."""
        found = self.previous(path)
        if {k: found.get(k) for k in ("size", "mtime")} != self.identity(path):
            return {}
        return found

    def record(self, path: Path, **facts: Any) -> None:
        with self._lock:
            key = str(path.resolve())
            self._files[key] = self.entry(path) | facts | self.identity(path)
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with self.path.open("a") as log:
                log.write(json.dumps([key, self._files[key]]) + "\n")

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)
