"""Warm per-request overhead: authenticated GET /files/{fileId} through app.main.handler.

Run in its own interpreter (`python -m bench.warm`, environment set by the caller). The AWS
calls are answered from memory by fakes behind the same interfaces: the verifier's JWKS is
moto's public key set, the logout record comes from the store's in-memory cache and
`app.files.repository.get_file` reads a dict. What is left is our code: token verification
(cached after the first call, as for a client's repeated requests), the dependencies, the
route, the response model, the middleware and Mangum. The floor is a bare async FastAPI route
through Mangum answering the same event. Prints one JSON line.
"""

import json
import os
import sys
import time
from typing import Any

from bench.common import LambdaContext, alternate, http_event, median, pair_ratio

FILE_ID = "0b9e5d6a-3c55-4a4e-9a57-0f4c1b2d3e4f"
OWNER = "bench-owner"


def _token(issuer: str, client_id: str) -> str:
    from jose import jwt
    from moto.utilities.utils import load_resource

    now = int(time.time())
    claims = {
        "sub": OWNER,
        "iss": issuer,
        "client_id": client_id,
        "token_use": "access",
        "iat": now,
        "exp": now + 3600,
        "jti": "bench",
        "origin_jti": "bench-session",
    }
    private = load_resource("cognitoidp/resources/jwks-private.json")
    return str(jwt.encode(claims, private, algorithm="RS256", headers={"kid": "dummy"}))


def _our_handler() -> tuple[Any, str]:
    from moto.utilities.utils import load_resource

    import app.auth.dependencies as auth
    import app.files.repository as files_repo
    from app.auth.revocation import Revocation
    from app.main import handler
    from app.settings import get_settings

    settings = get_settings()
    public = load_resource("cognitoidp/resources/jwks-public.json")
    # Fakes behind the real interfaces, no dependency_overrides: FastAPI re-analyses an
    # overridden dependency on every request, which would bill the harness to the app.
    auth._fetch_json = lambda _url: public  # type: ignore[assignment]
    store = auth.revocation_store()
    store.cached = lambda _user_id: Revocation()  # type: ignore[method-assign]
    record = files_repo.FileRecord(
        file_id=FILE_ID,
        owner_id=OWNER,
        file_name="report.pdf",
        content_type="application/pdf",
        size=123_456,
        status=files_repo.AVAILABLE,
        created_at="2026-11-22T01:00:00Z",
        uploaded_at="2026-11-22T01:00:03Z",
    )
    files = {FILE_ID: record}
    files_repo.get_file = files.get  # type: ignore[assignment]
    return handler, _token(settings.issuer, settings.user_pool_client_id)


def _floor_handlers() -> tuple[Any, Any]:
    from fastapi import FastAPI
    from mangum import Mangum

    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    @app.get("/hello-sync")
    def hello_sync() -> dict[str, str]:
        return {"hello": "world"}

    return Mangum(app, lifespan="off"), app


def _timer(handler: Any, event: dict[str, Any], batch: int) -> Any:
    context = LambdaContext()

    def run() -> float:
        started = time.perf_counter()
        for _ in range(batch):
            response = handler(event, context)
        elapsed = time.perf_counter() - started
        if response["statusCode"] != 200:
            raise RuntimeError(f"{event['rawPath']} answered {response}")
        return elapsed / batch

    return run


def main() -> None:
    rounds = int(os.environ.get("BENCH_ROUNDS", "9"))
    batch = int(os.environ.get("BENCH_BATCH", "200"))
    ours, token = _our_handler()
    floor, _ = _floor_handlers()
    our_event = http_event("GET", f"/files/{FILE_ID}", token=token)
    floor_event = http_event("GET", "/hello", token=token)
    sync_event = http_event("GET", "/hello-sync", token=token)
    run_ours = _timer(ours, our_event, batch)
    run_floor = _timer(floor, floor_event, batch)
    run_sync = _timer(floor, sync_event, max(batch // 4, 10))
    body = json.loads(ours(our_event, LambdaContext())["body"])
    assert body["fileId"] == FILE_ID, body
    for run in (run_ours, run_floor, run_sync):  # warm every path once
        run()
    mine, base = alternate(run_ours, run_floor, rounds)
    sync, base_sync = alternate(run_sync, run_floor, rounds)
    result = {
        "ours_us": median(mine) * 1e6,
        "floor_us": median(base) * 1e6,
        "pair_ratio": pair_ratio(mine, base),
        "sync_us": median(sync) * 1e6,
        "async_us": median(base_sync) * 1e6,
        "sync_pair_ratio": pair_ratio(sync, base_sync),
        "rounds": rounds,
        "batch": batch,
        "on_lambda": "AWS_LAMBDA_FUNCTION_NAME" in os.environ,
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
