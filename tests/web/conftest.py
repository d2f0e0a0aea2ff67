"""The embedded server (`python -m app.local`) and one headless chromium, for the browser tests.

Both are started once per session, on free ports, and stopped at the end. The browser is
Debian's /usr/bin/chromium, else the one `playwright install chromium` downloaded (`make test`
tries that once); browser tests are skipped, with a reason, only when there is neither.
"""

import functools
import json
import os
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.local.launch import Launched, launch

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
NO_CHROMIUM = (
    f"no chromium: {SYSTEM_CHROMIUM} is missing (`apt-get install -y chromium`; .ci/run does it)"
    " and so is Playwright's own (`python -m playwright install chromium`; make test tries it)"
)
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


@functools.cache
def chromium() -> Path | None:
    """Debian's chromium, else the one Playwright downloaded for its own version, else None."""
    if SYSTEM_CHROMIUM.exists():
        return SYSTEM_CHROMIUM
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        own = Path(playwright.chromium.executable_path)
    return own if own.exists() else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    browser_tests = [item for item in items if "browser" in item.keywords]
    if not browser_tests or chromium() is not None:
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    for item in browser_tests:
        item.add_marker(skip)


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


def _wait_until_healthy(run: Launched, url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if run.process.poll() is not None:
            pytest.fail(f"python -m app.local exited early:\n{run.output()}")
        try:
            with urllib.request.urlopen(url + "health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the embedded server did not answer /health in time:\n{run.output()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`python -m app.local` on the free ports it takes itself, read from its banner."""
    run = launch(tmp_path_factory.mktemp("server"), HOST="127.0.0.1", PORT="0")
    try:
        url = run.banner_address("API") + "/"
        _wait_until_healthy(run, url)
        yield Server(url=url, moto_url=run.banner_address("AWS"))
    finally:
        run.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium()
    if executable is None:
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screenshots when SHAREBOX_SCREENSHOTS=1 (to refresh them), a temp dir otherwise."""
    if os.environ.get("SHAREBOX_SCREENSHOTS") == "1":
        target = ROOT / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path_factory.mktemp("screenshots")
