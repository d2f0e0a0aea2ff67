"""boto3 clients built lazily, one per service per process, from one shared botocore session,
and the time budget every AWS call of the API keeps to.

Client creation is the largest cold-start cost after imports, so a request builds only the
clients it touches, and every later request in the process reuses them.

The budget (README "Failure and time budgets"): each attempt is bounded by the connect and
read timeouts, failed attempts are retried in botocore's standard mode (throttling and
transient errors, with backoff), and within an API request no attempt starts unless it can end
before the request's deadline, so a silent dependency turns into a 503 well inside the Lambda
timeout instead of a killed invocation. S3's CompleteMultipartUpload has a client of its own:
a longer read timeout, and one attempt.
"""

import os
import threading
import time
from contextvars import ContextVar
from functools import cache
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, DataNotFoundError
from botocore.loaders import Loader, instance_cache

from app.settings import get_settings

_lock = threading.Lock()


class _DirectLoader(Loader):
    """botocore's Loader, without listing every service to load one.

    Before loading a model, botocore checks the name against the list of all its services:
    ~420 directories read per model type, twice per process (a service's model and its
    endpoint rules). In the cold first real request that is 18-25 ms of listing, and 45-70 ms
    with the full garbage collection its litter triggers over the imported app, ~7-10% of the
    row (README "Performance"). boto/botocore PR #3687 removes the listing upstream; then this
    class goes. It leans on botocore's private `_find_extras` and `_extras_processor`:
    tests/test_aws.py fails if they change, or once botocore stops listing.
    """

    @instance_cache
    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        try:
            version = api_version or self.determine_latest_version(service_name, type_name)
            model = self.load_data(os.path.join(service_name, version, type_name))
        except DataNotFoundError:
            return super().load_service_model(service_name, type_name, api_version)
        extras = self._find_extras(service_name, type_name, version)
        self._extras_processor.process(model, extras)
        return model


@cache
def _session() -> boto3.session.Session:
    core = botocore.session.get_session()
    data_path = core.get_config_variable("data_path")  # AWS_DATA_PATH, as botocore reads it
    paths = [os.path.expanduser(os.path.expandvars(p)) for p in (data_path or "").split(os.pathsep)]
    core.register_component(
        "data_loader", _DirectLoader(extra_search_paths=[p for p in paths if p])
    )
    return boto3.session.Session(botocore_session=core)


class BudgetExhausted(BotoCoreError):
    """An attempt that could not finish before the request's deadline was not started."""

    fmt = "The time budget of the request ran out before {operation} could be tried."


# The monotonic time by which the current API request's AWS calls must be done; None outside
# a request (the worker, the local bootstrap), where only the per-attempt bounds apply.
_deadline: ContextVar[float | None] = ContextVar("sharebox_aws_deadline", default=None)


class RequestDeadline:
    """Within this block, AWS calls keep to the request budget (AWS_REQUEST_BUDGET_SECONDS).

    A class rather than a generator-based context manager: it runs on every request, and this
    costs ~0.4 µs to @contextmanager's ~2 µs.
    """

    __slots__ = ("_seconds", "_token")

    def __init__(self, seconds: float | None = None) -> None:
        self._seconds = seconds

    def __enter__(self) -> None:
        budget = (
            get_settings().aws_request_budget_seconds if self._seconds is None else self._seconds
        )
        self._token = _deadline.set(time.monotonic() + budget)

    def __exit__(self, *_: object) -> None:
        _deadline.reset(self._token)


class _AttemptFits:
    """botocore `before-send`: refuse an attempt whose timeouts could outlast the deadline.

    One per client, holding that client's worst attempt (connect + read timeout): the
    completion client waits far longer for an answer than the others.
    """

    __slots__ = ("_worst",)

    def __init__(self, worst: float) -> None:
        self._worst = worst

    def __call__(self, request: Any, event_name: str, **_: Any) -> None:
        deadline = _deadline.get()
        if deadline is not None and time.monotonic() + self._worst > deadline:
            raise BudgetExhausted(operation=event_name.rsplit(".", 1)[-1])


def _name_the_failure(exception: Exception, event_name: str, **_: Any) -> None:
    """botocore `after-call-error`: the exception remembers which call failed, for the log."""
    service, operation = event_name.split(".")[1:3]
    exception.aws_call = f"{service}.{operation}"  # type: ignore[attr-defined]


def failed_call(exc: BaseException) -> str:
    """The AWS call behind `exc` or its causes: `service.Operation` for an exception raised in
    the call, the operation for an error AWS answered (a ClientError), else "aws"."""
    seen: BaseException | None = exc
    while seen is not None:
        call = getattr(seen, "aws_call", None) or getattr(seen, "operation_name", None)
        if call:
            return str(call)
        seen = seen.__cause__
    return "aws"


@cache
def client(service: str) -> Any:
    """The process-wide client for `service`, honouring AWS_ENDPOINT_URL and the budget."""
    settings = get_settings()
    return _build(service, settings.aws_read_timeout_seconds, settings.aws_max_attempts)


@cache
def completing_client() -> Any:
    """The S3 client CompleteMultipartUpload runs on: S3 may take long to assemble a large
    upload (it keeps the connection open meanwhile), and a retry would only find the upload
    completing or completed (NoSuchUpload), so one attempt of AWS_COMPLETE_READ_TIMEOUT_SECONDS.
    """
    return _build("s3", get_settings().aws_complete_read_timeout_seconds, attempts=1)


def _build(service: str, read_timeout: float, attempts: int) -> Any:
    settings = get_settings()
    options: dict[str, Any] = {
        "connect_timeout": settings.aws_connect_timeout_seconds,
        "read_timeout": read_timeout,
        "retries": {"total_max_attempts": attempts, "mode": "standard"},
    }
    endpoint = settings.aws_endpoint_url
    if service == "s3":
        # Presigned URLs must name the regional endpoint with SigV4 so they work in any region.
        options["signature_version"] = "s3v4"
        options["s3"] = {"addressing_style": "path" if endpoint else "virtual"}
        endpoint = endpoint or f"https://s3.{settings.aws_region}.amazonaws.com"
    with _lock:  # botocore sessions are not safe to create clients from concurrently
        made = _session().client(
            service,
            region_name=settings.aws_region,
            endpoint_url=endpoint,
            config=Config(**options),
        )
    worst = settings.aws_connect_timeout_seconds + read_timeout
    made.meta.events.register("before-send", _AttemptFits(worst))
    made.meta.events.register("after-call-error", _name_the_failure)
    return made


def reset() -> None:
    """Forget every client (tests and the local bootstrap point them at a new endpoint)."""
    client.cache_clear()
    completing_client.cache_clear()
