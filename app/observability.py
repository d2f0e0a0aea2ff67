"""Logs, metrics and traces: Powertools on Lambda (JSON, CloudWatch EMF, X-Ray), quiet locally.

Locally (`make run`, tests) nothing here imports Powertools: logs stay the human-readable
stdlib ones, `metric()` and `append_keys()` do nothing. On Lambda, `lambda_entry` wraps an
entry point on its first invocation with Powertools' logger context (JSON, correlation id from
API Gateway), the EMF flush and, with TRACE_AWS_CALLS, the X-Ray tracer. Powertools costs
~6 ms to import and the X-Ray SDK ~170 ms, so neither is paid at import time; a SnapStart
init (prod) pays them before the snapshot instead.
"""

import functools
import logging
import os
import warnings
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
    _state["logger"] = logger
    return logger


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


def append_keys(**keys: str | None) -> None:
    """Add keys (request_id, user_id, file_id) to every JSON log line of this invocation."""
    logger = _state.get("logger")
    if logger is not None:
        logger.append_keys(**{k: v for k, v in keys.items() if v is not None})


def metric(name: str, value: float = 1, unit: str = "Count") -> None:
    """Record one CloudWatch metric (EMF, flushed at the end of the invocation)."""
    if not on_lambda():
        return
    metrics = _state.get("metrics")
    if metrics is None:
        from aws_lambda_powertools import Metrics

        metrics = _state["metrics"] = Metrics(namespace=NAMESPACE, service=SERVICE)
    metrics.add_metric(name=name, unit=unit, value=value)


def _instrument(handler: LambdaHandler, correlation_path: str | None) -> LambdaHandler:
    from aws_lambda_powertools import Metrics

    logger = _state.get("logger") or configure_lambda_logging()
    metrics = _state.setdefault("metrics", Metrics(namespace=NAMESPACE, service=SERVICE))
    # Most requests record no metric; that is normal, not worth a warning per invocation.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    wrapped = metrics.log_metrics(handler)
    if _tracing_enabled():
        from aws_lambda_powertools import Tracer

        tracer = _state.setdefault("tracer", Tracer(service=SERVICE))
        # Responses carry tokens and presigned URLs: never copy them into traces.
        wrapped = tracer.capture_lambda_handler(wrapped, capture_response=False)
    decorate = logger.inject_lambda_context(correlation_id_path=correlation_path, clear_state=True)
    result: LambdaHandler = decorate(wrapped)
    return result


def lambda_entry(handler: LambdaHandler, *, correlation_path: str | None = None) -> LambdaHandler:
    """Wrap a Lambda entry point with Powertools on Lambda; call it unchanged elsewhere.

    `correlation_path` is a JMESPath into the event ("requestContext.requestId" for API
    Gateway); the instrumented handler is built on the first invocation.
    """
    built: dict[str, Any] = {}  # the instrumented handler and the logger it was built with

    def instrumented() -> LambdaHandler:
        if "handler" not in built or built["logger"] is not _state.get("logger"):
            built["handler"] = _instrument(handler, correlation_path)  # first call, or reset()
            built["logger"] = _state["logger"]
        result: LambdaHandler = built["handler"]
        return result

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
    _state.clear()
    _forget_powertools(logging.getLogger(SERVICE))
