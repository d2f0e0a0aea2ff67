"""One cold invocation in a fresh interpreter: `python bench/cold_child.py <mode>`.

Modes: `floor` (the bare stack answering /health), `app` (app.main.handler answering the
event in $BENCH_EVENT). Prints one JSON line: the in-process time from the first line to the
response, the status, and (with BENCH_MODULES=1) every module imported.
"""

import time

_started = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


class _Context:
    aws_request_id = "bench-cold"
    function_name = "bench"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


def _floor_handler():  # type: ignore[no-untyped-def]
    import boto3  # noqa: F401
    import fastapi
    import jose  # noqa: F401
    import mangum
    import pydantic_settings  # noqa: F401

    app = fastapi.FastAPI()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return mangum.Mangum(app, lifespan="off")


def main() -> None:
    mode = sys.argv[1]
    event = json.loads(os.environ["BENCH_EVENT"])
    if mode == "floor":
        handler = _floor_handler()
    else:
        from app.main import handler
    response = handler(event, _Context())
    elapsed = time.perf_counter() - _started
    result = {"seconds": elapsed, "status": response["statusCode"]}
    if os.environ.get("BENCH_MODULES"):
        result["modules"] = sorted(sys.modules)
    if response["statusCode"] >= 300:
        result["body"] = response.get("body", "")[:500]
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()  # the parent's clock stops on this line, before the shutdown


main()
