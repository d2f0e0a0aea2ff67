"""Real-shaped API Gateway events (tests/events/apigw-*.json) and a Lambda context."""

import base64
import copy
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app import observability
from app.settings import get_settings

EVENTS = Path(__file__).parents[1] / "events"

# (event file, the prefix a client sees in front of our routes)
STAGES = {
    "v2-$default": ("apigw-http-v2-default.json", ""),
    "v2-dev": ("apigw-http-v2-dev-stage.json", "/dev"),
    "v1-Prod": ("apigw-rest-v1-prod.json", "/Prod"),
}


def api_event(
    stage: str,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    binary: bool = False,
) -> dict[str, Any]:
    """The sample event of `stage`, re-aimed at `method path` (path without the stage)."""
    name, prefix = STAGES[stage]
    event: dict[str, Any] = copy.deepcopy(json.loads((EVENTS / name).read_text()))
    encoded = None
    if body is not None:
        encoded = base64.b64encode(body).decode() if binary else body.decode()
    event["isBase64Encoded"] = binary
    context = event["requestContext"]
    if "version" in event:  # HTTP API, payload 2.0: the stage is part of rawPath
        event["rawPath"] = context["http"]["path"] = prefix + path
        context["http"]["method"] = method
        event["headers"].update({k.lower(): v for k, v in (headers or {}).items()})
        if encoded is not None:
            event["body"] = encoded
    else:  # REST API, payload 1.0: `path` is without the stage, requestContext.path with it
        event["path"], context["path"] = path, prefix + path
        event["httpMethod"] = context["httpMethod"] = method
        event["pathParameters"] = {"proxy": path.lstrip("/")}
        for key, value in (headers or {}).items():
            event["headers"][key] = value
            event["multiValueHeaders"][key] = [value]
        event["body"] = encoded
    return event


@dataclass
class LambdaContext:
    function_name: str = "sharebox-ApiFunction-AbC123"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = (
        "arn:aws:lambda:eu-west-1:123456789012:function:sharebox-ApiFunction-AbC123"
    )
    aws_request_id: str = "5f0f8c3e-6a8e-4b8e-9d0b-1c2d3e4f5a6b"

    def get_remaining_time_in_millis(self) -> int:
        return 29_000


def response_headers(response: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in (response.get("headers") or {}).items()}


def response_json(response: dict[str, Any]) -> Any:
    assert not response.get("isBase64Encoded"), "JSON must come back as text"
    return json.loads(response["body"])


@contextmanager
def json_logs() -> Iterator[io.StringIO]:
    """Powertools' JSON log lines, written into the yielded stream. The process's one Logger
    stays built; after the block the `sharebox` loggers are plain stdlib ones again."""
    stream = io.StringIO()
    logger = observability.lambda_logger()
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    stdlib = logging.getLogger(observability.SERVICE)
    stdlib.addHandler(handler)  # an earlier block took it off
    logger.setLevel(get_settings().log_level)
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)
        stdlib.removeHandler(handler)
        stdlib.setLevel(logging.NOTSET)


@pytest.fixture
def on_lambda(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Pretend to run on Lambda (TRACE_AWS_CALLS unset: no X-Ray); yields the JSON log stream."""
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "sharebox-ApiFunction-AbC123")
    with json_logs() as stream:
        yield stream


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
