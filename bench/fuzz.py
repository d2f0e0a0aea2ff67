"""`make fuzz`: schemathesis against `python -m app.local`'s OpenAPI schema, with a real token.

Checks: not_a_server_error, status_code_conformance, content_type_conformance,
response_schema_conformance; every operation, none excluded. Bounded for CI: FUZZ_MAX_EXAMPLES
(default 25) cases per operation and FUZZ_MAX_TIME seconds (default 180) in all.
"""

import asyncio
import os
import subprocess
import sys

import httpx

from bench.common import ROOT
from bench.load import _seed
from bench.server import LocalServer, local_server

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


async def _seed_demo_files(server: LocalServer) -> None:
    """A few uploaded files, so the ids schemathesis reads from GET /files reach deeper."""
    headers = {"Authorization": f"Bearer {server.log_in()}"}
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
        file_ids = await _seed(client, headers)
        link = await client.post(
            f"/files/{file_ids[0]}/links", headers=headers, json={"expiresIn": 3600}
        )
        link.raise_for_status()


def main() -> int:
    with local_server("fuzz") as server:
        asyncio.run(_seed_demo_files(server))
        command = [
            str(ROOT / ".venv" / "bin" / "schemathesis")
            if (ROOT / ".venv" / "bin" / "schemathesis").exists()
            else "schemathesis",
            "run",
            f"{server.base_url}/openapi.json",
            "--checks",
            ",".join(CHECKS),
            "--max-examples",
            os.environ.get("FUZZ_MAX_EXAMPLES", "25"),
            "--max-time",
            os.environ.get("FUZZ_MAX_TIME", "180"),
            "--seed",
            os.environ.get("FUZZ_SEED", "20261122"),
            "--workers",
            os.environ.get("FUZZ_WORKERS", "1"),  # 2 threads hit a CPython 3.11 AST-compile bug
            "--request-timeout",
            "30",
            "--no-shrink",
            "--report",
            "junit",
            "--report-dir",
            str(ROOT / "bench" / "out" / "schemathesis"),
        ]
        env = os.environ | {
            "SCHEMATHESIS_HOOKS": "bench.fuzz_hooks",
            "SHAREBOX_BASE_URL": server.base_url,
            "PYTHONPATH": str(ROOT),
        }
        done = subprocess.run(command, cwd=ROOT, env=env, check=False)
        if done.returncode:
            print(f"schemathesis found failures; the server log is {server.log}", file=sys.stderr)
        return done.returncode


if __name__ == "__main__":
    sys.exit(main())
