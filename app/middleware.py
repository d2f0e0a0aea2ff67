"""ASGI middleware: request ids on every response, including the 500s it renders itself, and
the deadline that bounds the request's AWS calls (app/aws.py)."""

import logging
import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import observability
from app.aws import RequestDeadline
from app.errors import internal_error_response

logger = logging.getLogger("sharebox")
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    """Echo a sane incoming X-Request-ID or mint one; the one place an unexpected error becomes
    the problem+json 500, logged once with its traceback.

    Starlette's ServerErrorMiddleware (where an `Exception` handler would run) sits outside
    every user middleware and re-raises what it handled, so the error would reach it unstamped
    and be logged again by the server: catching here keeps the header on 500s too, and ends it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"").decode(
            "latin-1"
        )
        request_id = incoming if _SANE_ID.match(incoming) else _lambda_request_id(scope)
        observability.append_keys(request_id=request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            with RequestDeadline():
                await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error", extra={"request_id": request_id})
            if started:  # too late for a problem: the server ends the response
                raise
            await internal_error_response()(scope, receive, send_with_id)


def _lambda_request_id(scope: Scope) -> str:
    context = scope.get("aws.context")
    return getattr(context, "aws_request_id", None) or str(uuid.uuid4())
