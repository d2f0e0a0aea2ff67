"""`make bench`: every measure against its floor in the same run; writes bench/results.json.

The machine is shared and noisy, so each measure is a ratio to a floor measured alongside it
(alternating pairs, medians); absolute times are context only. Exits 0 even when a target is
missed: the table says PASS or FAIL per row.

BENCH_ONLY=cli,outage runs only those steps (their keys are in `steps()`) and puts their rows
into the last run's results.json in place of the old ones, saying so under "partial".
"""

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import cli, cold, cold_real, folders, jwt_cost, outage, scaling
from bench.common import PYTHON, ROOT, Measure, base_environment

PAIRS = int(os.environ.get("BENCH_PAIRS", "9"))


def _child(module: str, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, "-m", module],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{module} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def warm_measures() -> list[Measure]:
    env = base_environment(USER_POOL_ID="us-east-1_bench", USER_POOL_CLIENT_ID="bench-client")
    env.pop("AWS_LAMBDA_FUNCTION_NAME")
    plain = _child("bench.warm", env)
    on_lambda = _child("bench.warm", env | {"AWS_LAMBDA_FUNCTION_NAME": "sharebox-api"})
    note = f"median of {plain['rounds']} alternating batches of {plain['batch']} requests"
    return [
        Measure(
            name="warm GET /files/{fileId}, per request",
            value=plain["ours_us"],
            floor=plain["floor_us"],
            unit="µs",
            target=2.0,
            floor_name="bare async FastAPI route through Mangum",
            notes=note + "; AWS answered from memory by fakes",
            paired_ratio=plain["pair_ratio"],
        ),
        Measure(
            name="warm GET /files/{fileId}, Lambda environment",
            value=on_lambda["ours_us"],
            floor=on_lambda["floor_us"],
            unit="µs",
            target=2.0,
            floor_name="bare async FastAPI route through Mangum",
            notes=(
                "AWS_LAMBDA_FUNCTION_NAME set: every invocation under Powertools' "
                "inject_lambda_context (a success logs nothing and records no metric)"
            ),
            paired_ratio=on_lambda["pair_ratio"],
        ),
        Measure(
            name="sync `def` route through Mangum (for the record)",
            value=plain["sync_us"],
            floor=plain["async_us"],
            unit="µs",
            target=float("inf"),
            floor_name="the same route as `async def`",
            notes="a worker-thread start per invocation: why every Sharebox route is async",
            paired_ratio=plain["sync_pair_ratio"],
        ),
    ]


def scaling_measures() -> list[Measure]:
    result = _child("bench.scaling", dict(os.environ) | {"PYTHONPATH": str(ROOT)})
    limit = result["limit"]
    rows = scaling.summary(result)
    measures = []
    for name, label in (("files", "GET /files"), ("shared", "GET /files/shared")):
        large, small = rows[name]["large"], rows[name]["small"]
        measures.append(
            Measure(
                name=f"{label}: items scanned per page, 10,000 items",
                value=large["max_query_scanned"],
                floor=limit + 1,
                unit="items",
                target=1.0,
                floor_name=f"limit + 1 = {limit + 1}",
                notes=(
                    f"worst of the first 3 pages; {large['max_items_fetched']} items fetched "
                    f"by key for {large['max_items_returned']} returned"
                ),
            )
        )
        measures.append(
            Measure(
                name=f"{label}: reads per page, 10,000 vs 100 items",
                value=large["max_query_scanned"] + large["max_items_fetched"],
                floor=small["max_query_scanned"] + small["max_items_fetched"],
                unit="items",
                target=1.0,
                floor_name="the same page with 100 items",
                notes=(
                    f"page time under moto {large['median_seconds'] * 1000:.0f} ms vs "
                    f"{small['median_seconds'] * 1000:.0f} ms (moto's Query walks the whole "
                    "table in Python; DynamoDB bills and waits per item read)"
                ),
            )
        )
    lookup = rows["lookup"]
    measures.append(
        Measure(
            name="GET /files/{fileId}: items read, 10,000 vs 100 items",
            value=lookup["large"]["max_items_fetched"],
            floor=lookup["small"]["max_items_fetched"],
            unit="items",
            target=1.0,
            floor_name="the same lookup with 100 items",
            notes="GetItem of the file, plus the share item when the caller is not the owner",
        )
    )
    return measures


def folder_measures() -> list[Measure]:
    result = _child("bench.folders", dict(os.environ) | {"PYTHONPATH": str(ROOT)})
    limit, depth = result["limit"], result["deep"]["depth"]
    row = folders.summary(result)
    search = result["search"]
    return [
        Measure(
            name="GET /folders/{id}/items: items scanned per page, 10,000 in it, 10,000 elsewhere",
            value=row["page_scanned"],
            floor=limit + 1,
            unit="items",
            target=1.0,
            floor_name=f"limit + 1 = {limit + 1}",
            notes=(
                f"worst of 3 pages (60 folders, then files); plus {row['page_fetched']} item "
                "fetched by key: the folder (its owner needs no share lookup)"
            ),
        ),
        Measure(
            name=f"GET /files/{{fileId}} {depth} levels deep in a shared folder: requests",
            value=row["deep_calls"],
            floor=3,
            unit="requests",
            target=1.0,
            floor_name="3 (the issue's bound)",
            notes=" + ".join(row["deep_operations"]) + ": the file, its folder (with its "
            "ancestors), the share keys along the path",
        ),
        Measure(
            name=f"GET /files/{{fileId}} {depth} levels deep in a shared folder: items read",
            value=row["deep_items"],
            floor=depth + 2,
            unit="items",
            target=1.0,
            floor_name=f"depth + 2 = {depth + 2}",
        ),
        Measure(
            name="GET /search: items read, 200 own items among 20,000 others'",
            value=row["search_scanned"],
            floor=search["own_items"],
            unit="items",
            target=1.0,
            floor_name="the caller's own items",
            notes="operations: " + ", ".join(row["search_operations"]) + " (never a Scan)",
        ),
        Measure(
            name="PATCH /folders/{id}: move a folder with 1,000 descendants",
            value=row["move_seconds"],
            floor=1.0,
            unit="s",
            target=1.0,
            floor_name="1 s (the issue's bound)",
            notes=(
                f"median of 5 moves to and fro (worst {row['move_worst'] * 1000:.0f} ms); "
                "100 folders get new ancestors, the 900 files are not written"
            ),
        ),
        Measure(
            name="Purge of a folder with 1,000 files: AWS requests per file",
            value=row["purge_per_file"],
            floor=row["purge_single"],
            unit="requests",
            target=1.1,
            floor_name="the purge of one file on its own",
            notes=(
                "DynamoDB and S3 requests of the worker's purge job / 1,000 files (10 "
                f"subfolders; {row['purge_left']} files left after it)"
            ),
        ),
    ]


def _format(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.0f} ms"
    if unit == "µs":
        return f"{value:.1f} µs"
    return f"{value:g} {unit}"


def table(measures: list[Measure]) -> str:
    lines = [
        "| measure | ours | floor | ratio | target | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for m in measures:
        target = "—" if m.target == float("inf") else f"≤ {m.target:g}"
        result = "record" if m.target == float("inf") else ("PASS" if m.passed else "FAIL")
        lines.append(
            f"| {m.name} | {_format(m.value, m.unit)} | {_format(m.floor, m.unit)} "
            f"| {m.ratio:.2f} | {target} | {result} |"
        )
    return "\n".join(lines)


def as_row(measure: Measure) -> dict[str, Any]:
    return measure.as_dict() | ({"target": None} if measure.target == float("inf") else {})


def from_row(row: dict[str, Any]) -> Measure:
    """A row of results.json as the Measure it was written from."""
    fields = {name: row[name] for name in Measure.__dataclass_fields__}
    return Measure(**fields | ({"target": float("inf")} if row["target"] is None else {}))


def merged(previous: list[dict[str, Any]], fresh: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The previous rows with fresh ones in their places (by name); new names at the end."""
    by_name = {r["name"]: r for r in fresh}
    return [by_name.pop(r["name"], r) for r in previous] + list(by_name.values())


def compile_app() -> None:
    """Bytecode for the app, as the floor's packages have it (pip compiles what it installs)
    and the Lambda package does (`make lambda-bytecode`). With PYTHONDONTWRITEBYTECODE set, as
    on this machine, every cold child would otherwise compile the app from source."""
    import compileall

    compileall.compile_dir(ROOT / "app", quiet=1)


def steps() -> list[tuple[str, str, Callable[[], list[Measure]]]]:
    """(key for BENCH_ONLY, label, the step) in the table's order."""
    return [
        ("cold", "cold /health", lambda: cold.cold_health(PAIRS)),
        ("cold-real", "cold GET /files", lambda: [cold_real.cold_files(PAIRS)]),
        ("jwt", "JWT", jwt_cost.measure),
        ("warm", "warm overhead", warm_measures),
        ("scaling", "query scaling", scaling_measures),
        ("folders", "folders", folder_measures),
        ("outage", "AWS outage", outage.measure),
        ("cli", "CLI transfers", cli.measure),
    ]


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, load average " + ", ".join(
        f"{x:.2f}" for x in os.getloadavg()
    )


def main() -> int:
    started = time.time()
    only = {key for key in os.environ.get("BENCH_ONLY", "").split(",") if key}
    chosen = [step for step in steps() if not only or step[0] in only]
    if only - {key for key, _, _ in chosen}:
        keys = ", ".join(key for key, _, _ in steps())
        print(f"bench: BENCH_ONLY takes some of: {keys}", file=sys.stderr)
        return 2
    compile_app()
    measures: list[Measure] = []
    for _, label, step in chosen:
        print(f"bench: {label} ...", file=sys.stderr, flush=True)
        measures.extend(step())
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started))
    seconds = round(time.time() - started, 1)
    path = ROOT / "bench" / "results.json"
    rows = [as_row(m) for m in measures]
    if only:
        results = json.loads(path.read_text())
        rows = merged(results["measures"], rows)
        labels = [label for _, label, _ in chosen]
        results["partial"] = {"steps": labels, "when": when, "seconds": seconds}
        results["partial"]["machine"] = machine()
    else:
        results = {"when": when, "seconds": seconds, "python": platform.python_version()}
        results |= {"machine": machine(), "pairs": PAIRS}
    results |= {"measures": rows, "table": table([from_row(r) for r in rows])}
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(results["table"])
    if not only:
        extra = measures[0].extra
        print(
            f"\nmodules the API imports that the floor does not: {extra['extra_module_count']} "
            f"(packages {', '.join(extra['extra_packages']) or 'none'}); "
            f"flagged (Pillow/moto/uvicorn...): {', '.join(extra['flagged']) or 'none'}; "
            f"with AWS_LAMBDA_FUNCTION_NAME set: {', '.join(extra['on_lambda_extra_packages'])}"
        )
    print(f"bench/results.json written ({seconds} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
