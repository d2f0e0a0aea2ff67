"""Under SnapStart, the init phase builds what the first real request would build lazily,
and loads Powertools, which an on-demand start loads with its first invocation."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import app.main
from app import aws
print(json.dumps({
    "jose": "jose.jwk" in sys.modules,
    "clients": aws.client.cache_info().currsize,
    "routes": "app.files.router" in sys.modules,
    "powertools": "aws_lambda_powertools" in sys.modules,
}))
"""


def _after_import(extra: dict[str, str]) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": "sharebox-api",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "PYTHONPATH": str(ROOT),
    } | extra
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_snapstart_init_builds_the_routes_imports_jose_and_builds_the_clients() -> None:
    state = _after_import({"AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start"})
    assert state == {"jose": True, "clients": 2, "routes": True, "powertools": True}


def test_on_demand_init_leaves_them_to_the_first_request_that_needs_them() -> None:
    state = _after_import({"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"})
    assert state == {"jose": False, "clients": 0, "routes": False, "powertools": False}
