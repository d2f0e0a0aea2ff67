"""`make load`: 50 concurrent users for 60 s against `python -m app.local`; zero 5xx allowed.

Each virtual user loops over a weighted mix of GET /files, GET /files/{fileId},
GET /files/{fileId}/download-url and POST /files/upload-url with the demo user's token.
Prints per-operation latency percentiles and writes bench/out/load.json. Exits 1 on any 5xx
or transport error. LOAD_USERS and LOAD_SECONDS override the size (defaults 50 and 60).
"""

import asyncio
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from typing import Any

import httpx

from bench.common import ROOT
from bench.server import LocalServer, local_server

SEEDED_FILES = 5
MIX = (("list", 4), ("get", 3), ("download-url", 2), ("upload-url", 1))


async def _seed(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    """A few available files: upload-url, the presigned POST to S3, then /complete."""
    ids = []
    for i in range(SEEDED_FILES):
        body = b"sharebox load test %d\n" % i
        ticket = await client.post(
            "/files/upload-url",
            headers=headers,
            json={"fileName": f"load-{i}.txt", "contentType": "text/plain", "size": len(body)},
        )
        ticket.raise_for_status()
        data = ticket.json()
        upload = data["upload"]
        async with httpx.AsyncClient(timeout=30) as s3:
            stored = await s3.post(
                upload["url"], data=upload["fields"], files={"file": (f"load-{i}.txt", body)}
            )
        stored.raise_for_status()
        done = await client.post(f"/files/{data['fileId']}/complete", headers=headers)
        done.raise_for_status()
        ids.append(data["fileId"])
    return ids


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _user(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    file_ids: list[str],
    until: float,
    record: dict[str, list[tuple[int, float]]],
    rng: random.Random,
) -> None:
    names, weights = zip(*MIX, strict=True)
    while time.monotonic() < until:
        op = rng.choices(names, weights)[0]
        file_id = rng.choice(file_ids)
        started = time.perf_counter()
        try:
            if op == "list":
                response = await client.get("/files", headers=headers, params={"limit": 20})
            elif op == "get":
                response = await client.get(f"/files/{file_id}", headers=headers)
            elif op == "download-url":
                response = await client.get(f"/files/{file_id}/download-url", headers=headers)
            else:
                response = await client.post(
                    "/files/upload-url",
                    headers=headers,
                    json={
                        "fileName": "load.bin",
                        "contentType": "application/octet-stream",
                        "size": 1,
                    },
                )
            status = response.status_code
        except httpx.HTTPError:
            status = 0  # a transport error or timeout
        record[op].append((status, time.perf_counter() - started))


async def run(server: LocalServer, users: int, seconds: float) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {server.log_in()}"}
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30, limits=limits) as client:
        file_ids = await _seed(client, headers)
        record: dict[str, list[tuple[int, float]]] = defaultdict(list)
        started = time.monotonic()
        until = started + seconds
        await asyncio.gather(
            *(
                _user(client, headers, file_ids, until, record, random.Random(i))
                for i in range(users)
            )
        )
        elapsed = time.monotonic() - started
    every = [item for items in record.values() for item in items]
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(every),
        "requests_per_second": round(len(every) / elapsed, 1),
        "server_errors": sum(1 for s, _ in every if s >= 500),
        "transport_errors": sum(1 for s, _ in every if s == 0),
        "statuses": _count(s for s, _ in every),
        "latency_ms": {
            name: _latencies([t for _, t in items]) for name, items in sorted(record.items())
        }
        | {"all": _latencies([t for _, t in every])},
    }


def _count(statuses: Any) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for status in statuses:
        counts[str(status)] += 1
    return dict(sorted(counts.items()))


def _latencies(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "count": len(values),
        "p50": round(statistics.median(values) * 1000, 1),
        "p95": round(_percentile(values, 0.95) * 1000, 1),
        "p99": round(_percentile(values, 0.99) * 1000, 1),
        "max": round(max(values) * 1000, 1),
    }


def main() -> int:
    users = int(os.environ.get("LOAD_USERS", "50"))
    seconds = float(os.environ.get("LOAD_SECONDS", "60"))
    with local_server("load") as server:
        result = asyncio.run(run(server, users, seconds))
    out = ROOT / "bench" / "out" / "load.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"load: {result['users']} users, {result['seconds']} s, {result['requests']} requests "
        f"({result['requests_per_second']}/s), statuses {result['statuses']}"
    )
    print(f"{'operation':<14}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, row in result["latency_ms"].items():
        print(
            f"{name:<14}{row['count']:>7}{row['p50']:>9}{row['p95']:>9}{row['p99']:>9}{row['max']:>9}"
        )
    failed = result["server_errors"] or result["transport_errors"]
    if failed:
        print(
            f"FAIL: {result['server_errors']} 5xx, {result['transport_errors']} transport errors",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
