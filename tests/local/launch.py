"""`python -m app.local` as `make run` starts it, in a process group of its own, for tests."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Settings the in-process moto world put in os.environ; the server must make its own.
INHERITED = (
    "AWS_ENDPOINT_URL",
    "AWS_SESSION_TOKEN",
    "USER_POOL_ID",
    "USER_POOL_CLIENT_ID",
    "TABLE_NAME",
    "BUCKET_NAME",
    "QUEUE_URL",
    "NOTIFICATIONS_QUEUE_URL",
    "SENDER_EMAIL",
    "CORS_ORIGINS",
    "PUBLIC_BASE_URL",
    "HOST",
    "PORT",
    "MOTO_PORT",
)


def occupied_port() -> socket.socket:
    """A socket bound and listening on a free port of 127.0.0.1: another program's port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@dataclass
class Launched:
    process: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def output(self) -> tuple[str, str]:
        return self.stdout.read_text(), self.stderr.read_text()

    def banner_address(self, label: str, deadline: float = 90) -> str:
        """The URL the banner prints after `label` ("API", "AWS"), once it is printed."""
        pattern = re.compile(rf"^  {label} +(http://\S+)", re.MULTILINE)
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if found := pattern.search(self.stdout.read_text()):
                return found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"no {label} line in the banner:\n{self.output()}")

    def group_alive(self) -> bool:
        """Whether any process of its group (the server or anything it started) still runs."""
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; SIGKILL for the group if that is not enough."""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        self.kill()

    def kill(self) -> None:
        if self.group_alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


def launch(tmp_path: Path, **settings: str) -> Launched:
    env = {k: v for k, v in os.environ.items() if k not in INHERITED}
    env |= {"PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **settings}
    stdout, stderr = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.local"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    return Launched(process, stdout, stderr)
