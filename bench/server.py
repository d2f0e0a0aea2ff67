"""`python -m app.local` on free ports, for the fuzz and load runs; always stopped afterwards."""

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.common import PYTHON, ROOT, free_port

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Sharebox-demo-1"


@dataclass(frozen=True)
class LocalServer:
    base_url: str
    moto_url: str
    log: Path

    def log_in(self, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> str:
        """An access token from POST /auth/login."""
        body = json.dumps({"email": email, "password": password}).encode()
        request = urllib.request.Request(
            f"{self.base_url}/auth/login",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            token: str = json.load(response)["accessToken"]
        return token


@contextmanager
def local_server(
    log_name: str, timeout: float = 120.0, settings: dict[str, str] | None = None
) -> Iterator[LocalServer]:
    """Start `make run`'s server (embedded moto included), wait for /health, stop it after.
    `settings`: environment for the server on top of ours (AWS_* included; ours are dropped)."""
    port, moto_port = free_port(), free_port()
    log = ROOT / "bench" / "out" / f"{log_name}.log"
    log.parent.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {"HOST": "127.0.0.1", "PORT": str(port), "MOTO_PORT": str(moto_port)}
    env |= settings or {}
    with log.open("w") as out:
        process = subprocess.Popen(
            [PYTHON, "-m", "app.local"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LocalServer(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{moto_port}", log)
    try:
        _wait_healthy(server, process, timeout)
        yield server
    finally:
        _stop(process)


def _wait_healthy(server: LocalServer, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app.local exited early; see {server.log}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"app.local did not answer /health in {timeout:.0f} s; see {server.log}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # the group this function started, nothing else
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
