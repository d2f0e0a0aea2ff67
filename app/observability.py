"""Logs, metrics and traces: Powertools on Lambda (JSON, CloudWatch EMF, X-Ray), quiet locally.

Locally (`make run`, tests) nothing here imports Powertools: logs stay the human-readable
stdlib ones, `metric()` and `append_keys()` do nothing. On Lambda, `lambda_entry` wraps an
entry point on its first invocation with Powertools' JSON logs (Lambda context, correlation
id from API Gateway, given to the logger only when an invocation logs), the EMF flush and,
with TRACE_AWS_CALLS, the X-Ray tracer. Powertools (~13 ms to import here) comes in with the
first line logged or metric recorded, and the X-Ray SDK (~170 ms) only with the tracer; a
SnapStart init (prod) pays them before the snapshot instead.
"""

import functools
import logging
import os
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import IO, Any

SERVICE = "sharebox"
NAMESPACE = "Sharebox"

# Metric names (namespace Sharebox, dimension service=sharebox); the template's dashboard uses them.
UPLOADS = "Uploads"
UPLOADED_BYTES = "UploadedBytes"
SHARES = "SharesCreated"
LINK_DOWNLOADS = "LinkDownloads"
REJECTIONS = "UploadsRejected"
AUTH_FAILURES = "AuthFailures"

LambdaHandler = Callable[[dict[str, Any], Any], Any]

_state: dict[str, Any] = {}  # "logger", "metrics", "tracer" once on Lambda


def on_lambda() -> bool:
    return "AWS_LAMBDA_FUNCTION_NAME" in os.environ


def _tracing_enabled() -> bool:
    from app.settings import get_settings

    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").lower() in {"1", "true"}
    return get_settings().trace_aws_calls and not disabled


def configure_lambda_logging(stream: IO[str] | None = None) -> Any:
    """JSON logs for the `sharebox` logger tree (every `logging.getLogger("sharebox.*")`)."""
    from aws_lambda_powertools import Logger

    from app.settings import get_settings

    stdlib = logging.getLogger(SERVICE)
    _forget_powertools(stdlib)  # reconfiguring (tests) replaces the JSON handler
    logger = Logger(service=SERVICE, level=get_settings().log_level, stream=stream)
    logger.registered_handler.addFilter(_InvocationKeys(logger))
    _state["logger"] = logger
    _invocation.synced = False  # the new logger has none of the invocation's keys yet
    return logger


class _JsonOnFirstLine(logging.Handler):
    """Stands in for Powertools' JSON handler until a line is logged: an invocation that logs
    nothing (an API success) never imports Powertools, ~13 ms of a cold start here."""

    def emit(self, record: logging.LogRecord) -> None:
        configure_lambda_logging().registered_handler.handle(record)  # which replaces this


def _defer_lambda_logging() -> None:
    from app.settings import get_settings

    stdlib = logging.getLogger(SERVICE)
    _forget_powertools(stdlib)
    stdlib.setLevel(get_settings().log_level)  # as Powertools will: isEnabledFor is right now
    stdlib.addHandler(_JsonOnFirstLine())


def _forget_powertools(stdlib: logging.Logger) -> None:
    for handler in list(stdlib.handlers):
        stdlib.removeHandler(handler)
    for flag in (
        "init",
        "powertools_handler",
        "powertools_buffer_config",
        "powertools_buffer_cache",
    ):
        stdlib.__dict__.pop(flag, None)
    stdlib.propagate = True
    stdlib.setLevel(logging.NOTSET)


class _Invocation:
    """The running invocation's log keys, handed to the logger only when a line is logged.

    They are what Powertools' `inject_lambda_context(clear_state=True)` sets: the Lambda
    context, cold start, correlation id, then ours (request, user and file ids). That
    decorator sets them on every invocation, ~50 µs, most of a warm request's cost on Lambda,
    though most invocations log nothing (an API success logs at DEBUG).
    """

    def __init__(self) -> None:
        self.event: Any = None
        self.context: Any = None
        self.correlation_path: str | None = None
        self.cold_start = True
        self.keys: dict[str, str] = {}
        self.synced = True
        self.begun = False  # an invocation began: this is Lambda

    def begin(self, event: Any, context: Any, correlation_path: str | None) -> None:
        self.event, self.context, self.correlation_path = event, context, correlation_path
        self.cold_start, self.begun = not self.begun, True
        self.keys = {}
        self.synced = False

    def add(self, keys: dict[str, str]) -> None:
        self.keys.update(keys)
        self.synced = False

    def sync(self, logger: Any) -> None:
        """Replace the logger's keys with this invocation's (as clear_state does)."""
        from aws_lambda_powertools.logging.lambda_context import build_lambda_context_model
        from aws_lambda_powertools.utilities import jmespath_utils

        if self.context is not None:
            context = build_lambda_context_model(self.context).__dict__
            logger.structure_logs(cold_start=self.cold_start, **context)
            if self.correlation_path:
                logger.set_correlation_id(
                    jmespath_utils.query(envelope=self.correlation_path, data=self.event)
                )
        logger.append_keys(**self.keys)
        self.synced = True


_invocation = _Invocation()


class _InvocationKeys(logging.Filter):
    """On the JSON handler: brings the logger's keys up to date before a line is written."""

    def __init__(self, logger: Any) -> None:
        super().__init__()
        self.logger = logger

    def filter(self, record: logging.LogRecord) -> bool:
        if not _invocation.synced:
            _invocation.sync(self.logger)
        return True


def append_keys(**keys: str | None) -> None:
    """Add keys (request_id, user_id, file_id) to every JSON log line of this invocation."""
    if _invocation.begun:
        _invocation.add({k: v for k, v in keys.items() if v is not None})


def metric(name: str, value: float = 1, unit: str = "Count") -> None:
    """Record one CloudWatch metric (EMF, flushed at the end of the invocation)."""
    if not on_lambda():
        return
    metrics = _state.get("metrics")
    if metrics is None:
        from aws_lambda_powertools import Metrics

        metrics = _state["metrics"] = Metrics(namespace=NAMESPACE, service=SERVICE)
    metrics.add_metric(name=name, unit=unit, value=value)


def _flush_metrics() -> None:
    """Powertools' `log_metrics` at the end of an invocation, without its empty-set warning."""
    metrics = _state.get("metrics")
    if metrics is not None and metrics.metric_set:
        metrics.flush_metrics()


def _instrument(handler: LambdaHandler, correlation_path: str | None) -> LambdaHandler:
    if "logger" not in _state:
        if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
            configure_lambda_logging()  # into the snapshot
        else:
            _defer_lambda_logging()
    traced = handler
    if _tracing_enabled():
        from aws_lambda_powertools import Tracer

        tracer = _state.setdefault("tracer", Tracer(service=SERVICE))
        # Responses carry tokens and presigned URLs: never copy them into traces.
        traced = tracer.capture_lambda_handler(handler, capture_response=False)

    def instrumented(event: dict[str, Any], context: Any) -> Any:
        _invocation.begin(event, context, correlation_path)
        try:
            return traced(event, context)
        finally:
            _flush_metrics()

    return instrumented


def lambda_entry(handler: LambdaHandler, *, correlation_path: str | None = None) -> LambdaHandler:
    """Wrap a Lambda entry point with Powertools on Lambda; call it unchanged elsewhere.

    `correlation_path` is a JMESPath into the event ("requestContext.requestId" for API
    Gateway); the instrumented handler is built on the first invocation.
    """
    built: list[LambdaHandler] = []

    def instrumented() -> LambdaHandler:
        if not built:
            built.append(_instrument(handler, correlation_path))
        return built[0]

    @functools.wraps(handler)
    def entry(event: dict[str, Any], context: Any = None) -> Any:
        if not on_lambda():
            return handler(event, context)
        if not hasattr(context, "invoked_function_arn"):
            context = _CompleteContext(context)
        return instrumented()(event, context)

    if on_lambda() and os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
        instrumented()  # built during init, so it is part of the snapshot
    return entry


_CONTEXT_DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "function_version": "$LATEST",
        "memory_limit_in_mb": 0,
        "invoked_function_arn": "",
        "aws_request_id": "",
    }
)


class _CompleteContext:
    """A stand-in context (benchmarks, local replays) with every attribute Powertools reads."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def __getattr__(self, name: str) -> Any:
        if hasattr(self._context, name):
            return getattr(self._context, name)
        if name == "function_name":
            return os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        if name in _CONTEXT_DEFAULTS:
            return _CONTEXT_DEFAULTS[name]
        raise AttributeError(name)


def reset() -> None:
    """Forget the Powertools objects and handlers (tests that switch local and Lambda paths)."""
    global _invocation
    _state.clear()
    _invocation = _Invocation()  # the next invocation is a cold start again
    _forget_powertools(logging.getLogger(SERVICE))
