"""`make run` against a standalone moto server that stops answering mid-test, then comes back."""

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from app.local.__main__ import DEMO_EMAIL, DEMO_PASSWORD
from tests.local.launch import launch

pytestmark = pytest.mark.e2e
BUDGET = {
    "AWS_CONNECT_TIMEOUT_SECONDS": "0.5",
    "AWS_READ_TIMEOUT_SECONDS": "1",
    "AWS_REQUEST_BUDGET_SECONDS": "3",
}


def free_port() -> int:
    """A port for the standalone moto server (its CLI cannot be handed a bound socket)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture
def emulator() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/moto-api/", time.monotonic() + 30)
        yield process, url
    finally:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        process.wait(10)


@pytest.fixture
def api(emulator: tuple[subprocess.Popen[bytes], str], tmp_path: Path) -> Iterator[str]:
    server = launch(tmp_path, AWS_ENDPOINT_URL=emulator[1], PORT="0", **BUDGET)
    try:
        url = server.banner_address("API").rstrip("/")
        wait_until_up(url + "/health", time.monotonic() + 60)
        yield url
    finally:
        server.stop()


def test_a_paused_emulator_is_a_503_within_the_budget_and_health_stays_fast(
    emulator: tuple[subprocess.Popen[bytes], str], api: str
) -> None:
    login = httpx.post(
        f"{api}/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}, timeout=10
    )
    headers = {"Authorization": f"Bearer {login.json()['accessToken']}"}
    assert httpx.get(f"{api}/files", headers=headers, timeout=10).status_code == 200

    emulator[0].send_signal(signal.SIGSTOP)
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        waiting = pool.submit(httpx.get, f"{api}/files", headers=headers, timeout=30)
        time.sleep(0.5)  # while that request waits on the silent emulator
        health_started = time.monotonic()
        health = httpx.get(f"{api}/health", timeout=5)
        health_took = time.monotonic() - health_started
        paused = waiting.result()
        took = time.monotonic() - started
    emulator[0].send_signal(signal.SIGCONT)

    assert paused.status_code == 503, paused.text
    assert paused.headers["content-type"] == "application/problem+json"
    assert paused.json()["code"] == "service_unavailable"
    assert int(paused.headers["retry-after"]) > 0 and paused.headers["x-request-id"]
    assert took < float(BUDGET["AWS_REQUEST_BUDGET_SECONDS"]) + 2  # the budget, and the answer
    assert health.status_code == 200 and health_took < 1

    back = httpx.get(f"{api}/files", headers=headers, timeout=10)
    assert back.status_code == 200, back.text
