"""boto3 clients built lazily, one per service per process, from one shared botocore session.

Client creation is the largest cold-start cost after imports, so a request builds only the
clients it touches, and every later request in the process reuses them.
"""

import threading
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from app.settings import get_settings

_lock = threading.Lock()


@cache
def _session() -> boto3.session.Session:
    return boto3.session.Session()


@cache
def client(service: str) -> Any:
    """The process-wide client for `service`, honouring AWS_ENDPOINT_URL."""
    settings = get_settings()
    options: dict[str, Any] = {"retries": {"max_attempts": 3, "mode": "standard"}}
    endpoint = settings.aws_endpoint_url
    if service == "s3":
        # Presigned URLs must name the regional endpoint with SigV4 so they work in any region.
        options["signature_version"] = "s3v4"
        options["s3"] = {"addressing_style": "path" if endpoint else "virtual"}
        endpoint = endpoint or f"https://s3.{settings.aws_region}.amazonaws.com"
    with _lock:  # botocore sessions are not safe to create clients from concurrently
        return _session().client(
            service,
            region_name=settings.aws_region,
            endpoint_url=endpoint,
            config=Config(**options),
        )


def reset() -> None:
    """Forget every client (tests and the local bootstrap point them at a new endpoint)."""
    client.cache_clear()
