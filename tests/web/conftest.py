"""The embedded server (`python -m app.local`) and one headless chromium, for the browser tests.

Both are started once per session, on free ports, and stopped at the end. Browser tests are
skipped (with a reason) only when Debian's chromium is not installed; `.ci/run` installs it.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Sharebox-test-1"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
# Settings the in-process moto world put in os.environ; the server must make its own.
INHERITED = (
    "AWS_ENDPOINT_URL",
    "AWS_SESSION_TOKEN",
    "USER_POOL_ID",
    "USER_POOL_CLIENT_ID",
    "TABLE_NAME",
    "BUCKET_NAME",
    "QUEUE_URL",
    "CORS_ORIGINS",
    "PUBLIC_BASE_URL",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: `apt-get install -y chromium` (.ci/run does it)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str  # the page's origin plus "/"
    moto_url: str

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                return resp.status, _lower(resp.headers), _body(resp.headers, resp.read())
        except urllib.error.HTTPError as err:
            return err.code, _lower(err.headers), _body(err.headers, err.read())

    def new_user(self, prefix: str) -> str:
        """Sign a user up through the API; returns the email (password: PASSWORD)."""
        email = f"{prefix}.{uuid.uuid4().hex[:6]}@example.com"
        status, _, body = self.request(
            "POST", "auth/signup", {"email": email, "password": PASSWORD}
        )
        assert status == 201, body
        return email


def _lower(headers: Any) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


def _body(headers: Any, raw: bytes) -> Any:
    if raw and "json" in headers.get("Content-Type", ""):
        return json.loads(raw)
    return raw.decode(errors="replace") or None


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"python -m app.local exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the embedded server did not answer /health in time:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`python -m app.local` on free ports, as `make run` starts it."""
    port, moto_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in INHERITED}
    env.update(HOST="127.0.0.1", PORT=str(port), MOTO_PORT=str(moto_port), PYTHONUNBUFFERED="1")
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.local"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_healthy(process, url, log)
        yield Server(url=url, moto_url=f"http://127.0.0.1:{moto_port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install -y chromium` (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screenshots when SHAREBOX_SCREENSHOTS=1 (to refresh them), a temp dir otherwise."""
    if os.environ.get("SHAREBOX_SCREENSHOTS") == "1":
        target = ROOT / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path_factory.mktemp("screenshots")
