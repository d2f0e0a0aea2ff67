"""Resume: what an upload command has done so far, on disk under the user's state directory,
so the same command run again after Ctrl-C or a crash sends only what is missing. The file goes
once everything is up."""

import hashlib
import json
import os
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
        self.path = state_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"
        self._lock = threading.Lock()
        try:
            self._files: dict[str, Any] = json.loads(self.path.read_text())["files"]
        except (FileNotFoundError, ValueError, KeyError):
            self._files = {}

    @staticmethod
    def _identity(path: Path) -> dict[str, int]:
        stat = path.stat()
        return {"size": stat.st_size, "mtime": stat.st_mtime_ns}

    def entry(self, path: Path) -> dict[str, Any]:
        """What was done for `path`, unless the file changed since (then: nothing)."""
        found: dict[str, Any] = self._files.get(str(path.resolve()), {})
        if {k: found.get(k) for k in ("size", "mtime")} != self._identity(path):
            return {}
        return dict(found)

    def record(self, path: Path, **facts: Any) -> None:
        with self._lock:
            key = str(path.resolve())
            self._files[key] = self.entry(path) | facts | self._identity(path)
            self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps({"files": self._files}))
        os.replace(partial, self.path)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)
