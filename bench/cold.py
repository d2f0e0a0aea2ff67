"""Cold start: a fresh interpreter answering /health (and later GET /files) via app.main.handler."""

from typing import Any

from bench.common import (
    ColdRun,
    Measure,
    alternate,
    base_environment,
    cold_run,
    http_event,
    median,
    pair_ratio,
)

FLAGGED = ("PIL", "moto", "uvicorn", "werkzeug", "flask", "pytest")


def _top(modules: list[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def extra_modules(pairs_env: dict[str, str]) -> dict[str, Any]:
    """Modules the API function imports that the floor does not (top-level packages)."""
    event = http_event("GET", "/health")
    app_run = cold_run("app", event, pairs_env, modules=True)
    floor_run = cold_run("floor", event, pairs_env, modules=True)
    extra = sorted(set(app_run.modules) - set(floor_run.modules))
    packages = sorted(_top(extra) - {"app"})
    return {
        "extra_module_count": len(extra),
        "extra_packages": packages,
        "flagged": sorted(p for p in _top(app_run.modules) if p in FLAGGED),
        "app_module_count": len(app_run.modules),
        "floor_module_count": len(floor_run.modules),
    }


def cold_health(pairs: int) -> list[Measure]:
    """Without the Lambda marker, like the floor; the Lambda extras are listed separately."""
    env = base_environment()
    env.pop("AWS_LAMBDA_FUNCTION_NAME")
    event = http_event("GET", "/health")
    runs: dict[str, list[ColdRun]] = {"app": [], "floor": []}

    def run(mode: str) -> float:
        result = cold_run(mode, event, env)
        runs[mode].append(result)
        return result.wall

    cold_run("app", event, env)  # warm the OS page cache and write .pyc files first
    cold_run("floor", event, env)
    alternate(lambda: run("app"), lambda: run("floor"), pairs)
    modules = extra_modules(env)
    modules["runs_wall_s"] = {m: [round(r.wall, 4) for r in runs[m]] for m in runs}
    modules["runs_to_exit_s"] = {m: [round(r.exited, 4) for r in runs[m]] for m in runs}
    modules["runs_inside_s"] = {m: [round(r.inside, 4) for r in runs[m]] for m in runs}
    modules["ratio_of_minimums_wall"] = round(
        min(r.wall for r in runs["app"]) / min(r.wall for r in runs["floor"]), 3
    )
    modules["ratio_of_minimums_inside"] = round(
        min(r.inside for r in runs["app"]) / min(r.inside for r in runs["floor"]), 3
    )
    on_lambda = extra_modules(env | {"AWS_LAMBDA_FUNCTION_NAME": "sharebox-api"})
    modules["on_lambda_extra_packages"] = on_lambda["extra_packages"]
    modules["on_lambda_flagged"] = on_lambda["flagged"]
    wall_app, wall_floor = (median([r.wall for r in runs[m]]) for m in ("app", "floor"))
    in_app, in_floor = (median([r.inside for r in runs[m]]) for m in ("app", "floor"))
    return [
        Measure(
            name="cold /health, spawn to answer",
            value=wall_app,
            floor=wall_floor,
            unit="s",
            target=1.05,
            floor_name="fresh interpreter: fastapi+mangum+boto3+jose+pydantic_settings, 1 route",
            notes=f"median of {pairs} alternating pairs, process spawn to the answer",
            extra=modules,
            paired_ratio=pair_ratio([r.wall for r in runs["app"]], [r.wall for r in runs["floor"]]),
        ),
        Measure(
            name="cold /health, imports + answer",
            value=in_app,
            floor=in_floor,
            unit="s",
            target=1.05,
            floor_name="same floor, first line to response",
            notes=f"median of {pairs} alternating pairs, without interpreter start-up",
            paired_ratio=pair_ratio(
                [r.inside for r in runs["app"]], [r.inside for r in runs["floor"]]
            ),
        ),
    ]
