"""What every measure shares: API Gateway events, fresh-interpreter runs, alternating pairs."""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Measure:
    """One row of the table: our cost against its floor, and whether the ratio is in target."""

    name: str
    value: float
    floor: float
    unit: str
    target: float
    floor_name: str
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # The median of per-pair ratios when pairs were run: steadier than a ratio of medians
    # when the machine's load drifts during the run.
    paired_ratio: float | None = None

    @property
    def ratio(self) -> float:
        if self.paired_ratio is not None:
            return self.paired_ratio
        return self.value / self.floor if self.floor else float("inf")

    @property
    def passed(self) -> bool:
        return self.ratio <= self.target

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ratio": round(self.ratio, 3), "passed": self.passed}


def http_event(
    method: str,
    path: str,
    *,
    token: str | None = None,
    query: str = "",
    body: str | None = None,
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event on the $default stage."""
    host = "bench.execute-api.us-east-1.amazonaws.com"
    headers = {"host": host, "user-agent": "sharebox-bench", "accept": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    if body is not None:
        headers["content-type"] = "application/json"
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "bench",
            "domainName": host,
            "domainPrefix": "bench",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "sharebox-bench",
            },
            "requestId": "bench-request",
            "routeKey": "$default",
            "stage": "$default",
            "time": "22/Nov/2026:03:00:00 +0000",
            "timeEpoch": 1795316400000,
        },
        "body": body,
        "isBase64Encoded": False,
    }


class LambdaContext:
    aws_request_id = "bench-request"
    function_name = "sharebox-api"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:sharebox-api"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


def base_environment(**extra: str) -> dict[str, str]:
    """The environment of a Lambda-like child: fake credentials, no endpoint, no emulator."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "BENCH_", "USER_POOL", "TABLE_", "BUCKET_", "QUEUE_"))
    }
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_LAMBDA_FUNCTION_NAME": "sharebox-api",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


@dataclass
class ColdRun:
    wall: float  # spawn to answer: interpreter start, imports, the answer (a cold start)
    inside: float  # first line of the child to its response
    modules: list[str]
    exited: float = 0.0  # spawn to exit: the above plus interpreter shutdown (context only)


def cold_run(
    mode: str, event: dict[str, Any], env: dict[str, str], *, modules: bool = False
) -> ColdRun:
    """Answer `event` once in a fresh interpreter (`bench/cold_child.py`).

    The clock stops when the child's answer arrives: a cold start is the time to the first
    response. A Lambda environment is never torn down after it, so the interpreter's shutdown
    (a full garbage collection of everything imported) is recorded apart, as `exited`.
    """
    child_env = env | {"BENCH_EVENT": json.dumps(event)}
    if modules:
        child_env["BENCH_MODULES"] = "1"
    started = time.perf_counter()
    with subprocess.Popen(
        [PYTHON, str(ROOT / "bench" / "cold_child.py"), mode],
        env=child_env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        line = child.stdout.readline()
        answered = time.perf_counter()
        _, errors = child.communicate(timeout=120)
        exited = time.perf_counter()
    if child.returncode != 0 or not line:
        raise RuntimeError(f"cold child {mode} failed: {errors[-2000:]}")
    result = json.loads(line)
    if result["status"] >= 300:
        raise RuntimeError(f"cold child {mode} answered {result['status']}: {result.get('body')}")
    return ColdRun(
        wall=answered - started,
        inside=result["seconds"],
        modules=result.get("modules", []),
        exited=exited - started,
    )


def alternate(
    ours: Callable[[], float], floor: Callable[[], float], pairs: int
) -> tuple[list[float], list[float]]:
    """Run `pairs` (ours, floor) pairs, alternating which goes first, so drift hits both."""
    mine: list[float] = []
    base: list[float] = []
    for i in range(pairs):
        if i % 2:
            base.append(floor())
            mine.append(ours())
        else:
            mine.append(ours())
            base.append(floor())
    return mine, base


def median(values: list[float]) -> float:
    return statistics.median(values)


def pair_ratio(mine: list[float], base: list[float]) -> float:
    """The median of per-pair ratios: robust when the machine's load drifts during the run."""
    return statistics.median(m / b for m, b in zip(mine, base, strict=True))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
