"""The AppError family and the handlers that render every error as RFC 9457 problem+json."""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from types import TracebackType
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.aws import failed_call
from app.settings import get_settings

logger = logging.getLogger("sharebox")

PROBLEM_JSON = "application/problem+json"


class AppError(Exception):
    """An error the client caused or must know about; rendered as problem+json."""

    status: int = 400
    code: str = "bad_request"
    detail: str = "The request could not be processed."

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.detail = detail or self.detail
        self.code = code or self.code
        self.status = status or self.status
        self.headers = dict(headers or {})
        super().__init__(self.detail)


class BadRequest(AppError):
    status, code = 400, "bad_request"


class Unauthorized(AppError):
    """Missing or bad credentials on a protected route: always asks for a Bearer token."""

    status, code, detail = 401, "invalid_token", "The access token is missing or not valid."

    def __init__(self, detail: str | None = None, *, code: str | None = None) -> None:
        super().__init__(detail, code=code, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    status, code = 403, "forbidden"


class NotFound(AppError):
    status, code, detail = 404, "not_found", "Not found."


class Conflict(AppError):
    status, code = 409, "conflict"


class PayloadTooLarge(AppError):
    status, code = 413, "file_too_large"


class TooManyRequests(AppError):
    status, code, detail = 429, "too_many_requests", "Too many requests; retry later."

    def __init__(self, detail: str | None = None, *, retry_after: int = 1, code: str | None = None):
        super().__init__(detail, code=code, headers={"Retry-After": str(retry_after)})


class ServiceUnavailable(AppError):
    """A dependency failed, throttled or ran out of time: worth retrying after `Retry-After`."""

    status, code, detail = 503, "service_unavailable", "A backing service is unavailable."

    def __init__(self, detail: str | None = None, *, retry_after: int | None = None) -> None:
        wait = get_settings().retry_after_seconds if retry_after is None else retry_after
        super().__init__(detail, headers={"Retry-After": str(wait)})


def aws_error_code(exc: ClientError) -> str:
    """The error code AWS answered with (`ConditionalCheckFailedException`, `NoSuchKey`...)."""
    return str(exc.response.get("Error", {}).get("Code", ""))


class AwsCall:
    """Around one AWS call: an error AWS answers becomes the 503 of `store` ("The metadata store
    failed: <code>."), unless its code is one of `expected`; that one is kept in `refused`
    for the caller to act on after the block (a lost condition, an upload already gone...).

    The one place a ClientError turns into a domain error, so none reaches a route.
    """

    __slots__ = ("detail", "expected", "refused", "store")

    def __init__(
        self, store: str, expected: tuple[str, ...] = (), *, detail: str | None = None
    ) -> None:
        """`detail` replaces the default text, which names AWS's error code."""
        self.store, self.expected, self.detail = store, expected, detail
        self.refused: ClientError | None = None

    def __enter__(self) -> "AwsCall":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        if not isinstance(exc, ClientError):
            return False
        if aws_error_code(exc) in self.expected:
            self.refused = exc
            return True
        raise self.unavailable(exc)

    @property
    def code(self) -> str | None:
        """The expected code AWS answered with, None when the call succeeded."""
        return aws_error_code(self.refused) if self.refused is not None else None

    def unavailable(self, exc: ClientError | None = None) -> ServiceUnavailable:
        """The 503 for `exc` (by default the expected error the caller could not resolve)."""
        cause = exc or self.refused
        assert cause is not None
        error = ServiceUnavailable(
            self.detail or f"The {self.store} failed: {aws_error_code(cause)}."
        )
        error.__cause__ = cause  # the log line names the failed call from it
        error.__suppress_context__ = True
        return error


def problem(
    status: int,
    code: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """Build a problem+json response; `type` is a stable per-code URI."""
    body = {
        "type": f"https://sharebox.dev/problems/{code.replace('_', '-')}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return JSONResponse(
        body, status_code=status, headers=dict(headers or {}), media_type=PROBLEM_JSON
    )


def internal_error_response() -> JSONResponse:
    """The one answer to an unexpected error (RequestIdMiddleware renders and logs it)."""
    return problem(500, "internal_error", "An unexpected error occurred. It has been logged.")


_HTTP_CODES = {
    400: "bad_request",
    401: "invalid_token",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


async def _app_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    if isinstance(exc, ServiceUnavailable):
        _log_dependency_failure(exc)
    return problem(exc.status, exc.code, exc.detail, exc.headers)


async def _aws_unreachable(request: Request, exc: Exception) -> JSONResponse:
    """A botocore error no repository wrapped (a timeout, a refused connection, the budget)."""
    unavailable = ServiceUnavailable("A backing service did not answer in time.")
    unavailable.__cause__ = exc
    return await _app_error(request, unavailable)


def _log_dependency_failure(exc: ServiceUnavailable) -> None:
    """The one line a 503 logs: which AWS call failed, and how."""
    cause = exc.__cause__ or exc.__context__
    call, error = failed_call(exc), type(cause).__name__ if cause else "ServiceUnavailable"
    logger.warning(
        "dependency failed: %s (%s)",
        call,
        error,
        extra={"aws_call": call, "error": error, "detail": exc.detail},
    )


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = "No such route."
    return problem(exc.status_code, code, detail, exc.headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(part) for part in first["loc"][1:]) or "body"
    return problem(422, "validation_error", f"{where}: {first['msg']}", errors=errors)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(BotoCoreError, _aws_unreachable)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries declaring problem+json bodies for error statuses."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": schema}},
        }
        for status in statuses
    }
