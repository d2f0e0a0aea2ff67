"""The cold first real request: authenticated GET /files in a fresh interpreter.

A moto server in another process (started beforehand) answers Cognito's JWKS and DynamoDB, as
the real services would; the child imports app.main, fetches the JWKS, verifies the token,
builds the DynamoDB client, reads the logout record and lists the files. It is compared with
the cold /health of the same app in the same environment, in alternating pairs.
"""

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench.common import (
    PYTHON,
    ROOT,
    Measure,
    alternate,
    base_environment,
    cold_run,
    free_port,
    http_event,
    median,
    pair_ratio,
)

EMAIL, PASSWORD = "bench@example.com", "Bench-password-1"


@contextmanager
def moto_server() -> Iterator[str]:
    with moto_process() as (url, _):
        yield url


@contextmanager
def moto_process() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A moto server in a process (and session) of its own: its URL and the process."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    process = subprocess.Popen(
        [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the moto server did not start") from None
                time.sleep(0.2)
        yield url, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def _prepare(endpoint: str) -> tuple[dict[str, str], str]:
    """Resources as template.yaml makes them, a confirmed user with 5 files, and its token."""
    import boto3

    from app.local.bootstrap import bootstrap

    kwargs: dict[str, Any] = {
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "aws_access_key_id": "bench",
        "aws_secret_access_key": "bench",
    }
    clients = {
        name: boto3.client(name, **kwargs) for name in ("cognito-idp", "dynamodb", "s3", "sqs")
    }
    resources = bootstrap(clients, origins=["http://127.0.0.1:8000"])
    cognito, dynamodb = clients["cognito-idp"], clients["dynamodb"]
    sub = cognito.sign_up(
        ClientId=resources.user_pool_client_id, Username=EMAIL, Password=PASSWORD
    )["UserSub"]
    cognito.admin_confirm_sign_up(UserPoolId=resources.user_pool_id, Username=EMAIL)
    token = cognito.initiate_auth(
        ClientId=resources.user_pool_client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": EMAIL, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    for i in range(5):
        file_id = f"00000000-0000-4000-8000-00000000000{i}"
        created = f"2026-11-22T01:00:0{i}Z"
        item = {
            "pk": f"FILE#{file_id}",
            "sk": "META",
            "gsi1pk": f"OWNER#{sub}",
            "gsi1sk": f"{created}#{file_id}",
            "fileId": file_id,
            "ownerId": sub,
            "fileName": f"file-{i}.txt",
            "contentType": "text/plain",
            "size": 100 + i,
            "status": "available",
            "createdAt": created,
            "uploadedAt": created,
            "hasThumbnail": False,
        }
        dynamodb.put_item(
            TableName=resources.table_name,
            Item={
                k: {"N": str(v)}
                if isinstance(v, int) and not isinstance(v, bool)
                else {"BOOL": v}
                if isinstance(v, bool)
                else {"S": v}
                for k, v in item.items()
            },
        )
    env = base_environment(AWS_ENDPOINT_URL=endpoint, LOCAL_MODE="true", **resources.environment())
    return env, token


def cold_files(pairs: int, *, lambda_env: bool = False) -> Measure:
    with moto_server() as endpoint:
        env, token = _prepare(endpoint)
        if not lambda_env:
            env.pop("AWS_LAMBDA_FUNCTION_NAME", None)
        files_event = http_event("GET", "/files", token=token)
        health_event = http_event("GET", "/health")
        cold_run("app", files_event, env)  # page cache, .pyc files, moto's first answers
        cold_run("app", health_event, env)
        walls: dict[str, list[float]] = {"files": [], "health": []}
        inside: dict[str, list[float]] = {"files": [], "health": []}
        exits: dict[str, list[float]] = {"files": [], "health": []}

        def run(name: str, event: dict[str, Any]) -> float:
            result = cold_run("app", event, env)
            walls[name].append(result.wall)
            inside[name].append(result.inside)
            exits[name].append(result.exited)
            return result.wall

        alternate(lambda: run("files", files_event), lambda: run("health", health_event), pairs)
    return Measure(
        name="cold first real request (GET /files)",
        value=median(walls["files"]),
        floor=median(walls["health"]),
        unit="s",
        target=1.4,
        floor_name="cold /health of the same app (fresh interpreter)",
        notes=(
            f"median of {pairs} alternating pairs, spawn to answer; JWKS and DynamoDB from a "
            "moto server in another process"
        ),
        extra={
            "inside_files_s": round(median(inside["files"]), 4),
            "inside_health_s": round(median(inside["health"]), 4),
            "inside_ratio": round(median(inside["files"]) / median(inside["health"]), 3),
            "ratio_of_minimums_wall": round(min(walls["files"]) / min(walls["health"]), 3),
            "runs_wall_s": {k: [round(v, 4) for v in vs] for k, vs in walls.items()},
            "runs_to_exit_s": {k: [round(v, 4) for v in vs] for k, vs in exits.items()},
        },
        paired_ratio=pair_ratio(walls["files"], walls["health"]),
    )
