"""The API's Lambda entry: Mangum, with API Gateway stage prefixes turned into `root_path`.

Mangum hands HTTP API v2's path over with the stage in it (`/dev/files`) and REST v1's
without it (`/files`, the stage only in `requestContext.path`), and never sets root_path.
ASGI wants `path` to include `root_path`, so both become path `/dev/files` + root_path
`/dev`: routes match, and the docs page asks for `/dev/openapi.json`, inside the stage.
"""

import logging
import re
import time
from typing import Any
from urllib.parse import unquote

from fastapi import FastAPI
from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES
from starlette.types import ASGIApp, Receive, Scope, Send

from app import observability
from app.blocking import InlineBlocking
from app.errors import PROBLEM_JSON, internal_error_response

# Anything else is base64-encoded, so binary bodies round-trip; "+json" covers problem+json.
TEXT_MIME_TYPES = [*DEFAULT_TEXT_MIME_TYPES, "+json", "image/svg+xml"]

access_log = logging.getLogger("sharebox.access")
# Share-link, upload-request and unsubscribe tokens are bearer secrets: keep them out of the
# logs, however the path is spelled (a typo's case, percent-encoding: the 404 of a mistyped
# link still holds a token).
_SECRET_SEGMENT = re.compile(r"(/(?:links|s|r|requests|unsubscribe)/)[^/]+", re.IGNORECASE)


def stage_prefix(event: dict[str, Any]) -> str:
    """The path prefix a client sees in front of our routes, "" when there is none."""
    context = event.get("requestContext") or {}
    # REST v1: `path` lacks what the client sent in front of it (stage or base path).
    full, path = str(context.get("path") or ""), str(event.get("path") or "")
    if path and full.endswith(path) and full != path:
        return full[: -len(path)].rstrip("/")
    stage = context.get("stage")
    domain = str(context.get("domainName") or "")
    # Custom domains map a stage to a base path of their own, so only the default
    # execute-api host carries the stage name in the URL.
    if not stage or stage == "$default" or not domain.endswith(".amazonaws.com"):
        return ""
    return f"/{stage}"


class StagePrefixMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        event = scope.get("aws.event")
        if scope["type"] == "http" and isinstance(event, dict):
            prefix = stage_prefix(event)
            if prefix:
                scope = dict(scope)
                path: str = scope["path"]
                if path != prefix and not path.startswith(prefix + "/"):
                    scope["path"] = prefix + path
                    scope["raw_path"] = None
                scope["root_path"] = prefix
        await self.app(scope, receive, send)


def lambda_handler(app: FastAPI) -> observability.LambdaHandler:
    """The Lambda entry point for `app`: HTTP API v2 and REST v1 events, any stage."""
    mangum = Mangum(app, lifespan="off", text_mime_types=TEXT_MIME_TYPES)

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        started = time.perf_counter()
        with InlineBlocking():  # one request per invocation: no thread hops
            response = _problem_if_bare_500(mangum(event, context))
        status = response.get("statusCode")
        if status == 401:
            observability.metric(observability.AUTH_FAILURES)
        # Failures get a line (with the request, user and file ids); successes only at DEBUG:
        # API Gateway's access log has every request, and a JSON line costs ~80 µs.
        level = logging.INFO if isinstance(status, int) and status >= 400 else logging.DEBUG
        if access_log.isEnabledFor(level):
            _log_request(level, event, status, started)
        return response

    return observability.lambda_entry(handle, correlation_path="requestContext.requestId")


def _log_request(level: int, event: dict[str, Any], status: Any, started: float) -> None:
    """One JSON line per request: method, path (link tokens masked), status, duration."""
    http = (event.get("requestContext") or {}).get("http") or {}
    path = str(event.get("rawPath") or event.get("path") or "")
    access_log.log(
        level,
        "request",
        extra={
            "method": http.get("method") or event.get("httpMethod"),
            "path": _SECRET_SEGMENT.sub(r"\1***", unquote(path)),
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )


def _problem_if_bare_500(response: dict[str, Any]) -> dict[str, Any]:
    """Mangum answers an exception that escaped the app with a text/plain 500 (and logs it):
    reshape it into the one 500 answer. RequestIdMiddleware catches what a route raises, so
    only an error outside it, or after the response started, gets here."""
    headers = response.get("headers") or {}
    if response.get("statusCode") != 500 or headers.get("content-type", "").startswith(
        PROBLEM_JSON
    ):
        return response
    problem = internal_error_response()
    return {
        **response,
        "headers": {**headers, "content-type": PROBLEM_JSON},
        "body": bytes(problem.body).decode(),
        "isBase64Encoded": False,
    }
