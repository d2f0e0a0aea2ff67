"""An AWS dependency that goes silent: how long until the API's 503, and /health meanwhile.

The app runs under uvicorn against a moto server in another process; the server is paused
(SIGSTOP: its sockets accept, nothing answers, as a hung dependency looks) and resumed between
rounds. The 503 must come within the documented budget (AWS_REQUEST_BUDGET_SECONDS, the
template's value); /health, which touches no AWS, is timed while a request waits on the silent
dependency and compared with /health when all is well.
"""

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from bench.cold_real import _prepare, moto_process
from bench.common import PYTHON, ROOT, Measure, free_port, median

ROUNDS = 3
HEALTH_SAMPLES = 20


@contextmanager
def api_server(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/health", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the API did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def _health_times(url: str, samples: int) -> list[float]:
    times = []
    with httpx.Client(timeout=5) as http:
        for _ in range(samples):
            started = time.perf_counter()
            assert http.get(f"{url}/health").status_code == 200
            times.append(time.perf_counter() - started)
    return times


def _silent_round(url: str, headers: dict[str, str], emulator: int) -> tuple[float, list[float]]:
    """Pause the emulator, time GET /files to its 503 and /health meanwhile, resume."""
    answer: dict[str, float | int] = {}

    def wait_for_files() -> None:
        started = time.perf_counter()
        status = httpx.get(f"{url}/files", headers=headers, timeout=60).status_code
        answer.update(seconds=time.perf_counter() - started, status=status)

    os.killpg(emulator, signal.SIGSTOP)
    try:
        waiting = threading.Thread(target=wait_for_files)
        waiting.start()
        time.sleep(0.2)
        health = _health_times(url, HEALTH_SAMPLES)
        waiting.join()
    finally:
        os.killpg(emulator, signal.SIGCONT)
    if answer.get("status") != 503:
        raise RuntimeError(f"a silent emulator answered {answer}")
    return float(answer["seconds"]), health


def measure() -> list[Measure]:
    from app.settings import Settings

    budget = Settings().aws_request_budget_seconds
    with moto_process() as (endpoint, emulator):
        env, token = _prepare(endpoint)
        env.pop("AWS_LAMBDA_FUNCTION_NAME", None)
        pgid = emulator.pid  # the leader of its own session
        headers = {"Authorization": f"Bearer {token}"}
        with api_server(env) as url:
            healthy = _health_times(url, HEALTH_SAMPLES)
            waits, during = [], []
            for _ in range(ROUNDS):
                assert httpx.get(f"{url}/files", headers=headers, timeout=30).status_code == 200
                seconds, health = _silent_round(url, headers, pgid)
                waits.append(seconds)
                during.extend(health)
    return [
        Measure(
            name="AWS silent: GET /files to its 503",
            value=median(waits),
            floor=budget,
            unit="s",
            target=1.0,
            floor_name=f"the documented request budget ({budget:g} s)",
            notes=f"median of {ROUNDS} pauses of a moto server; uvicorn, default budget",
            extra={"runs_s": [round(w, 3) for w in waits]},
        ),
        Measure(
            name="AWS silent: /health meanwhile",
            value=median(during),
            floor=median(healthy),
            unit="s",
            target=3.0,
            floor_name="/health with AWS answering",
            notes=f"median of {len(during)} requests while GET /files waited",
            extra={"max_s": round(max(during), 4)},
        ),
    ]


if __name__ == "__main__":
    import json

    print(json.dumps([m.as_dict() for m in measure()]))
