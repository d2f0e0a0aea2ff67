"""Logs, metrics and traces: Powertools on Lambda (JSON, CloudWatch EMF, X-Ray), quiet locally.

Locally (`make run`, tests) nothing here imports Powertools: logs stay the human-readable
stdlib ones, `metric()` and `append_keys()` do nothing. On Lambda, `lambda_entry` wraps an
entry point in Powertools' documented decorators and calls: `inject_lambda_context` (Lambda
context, cold start; `clear_state`, so our request, user and file ids never outlive their
invocation), `set_correlation_id`, `flush_metrics` (EMF) after an invocation that recorded a
metric and, with TRACE_AWS_CALLS, `capture_lambda_handler`. The Logger, Metrics and Tracer
are built once per process, by the first invocation rather than at import, so importing the
app stays the floor's; a SnapStart init (prod) builds them before the snapshot instead.
Where this departs from the decorators' defaults, README "Performance" has the measurements.
"""

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics

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


def on_lambda() -> bool:
    return "AWS_LAMBDA_FUNCTION_NAME" in os.environ


def _snap_start() -> bool:
    return on_lambda() and os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start"


@functools.cache
def lambda_logger() -> "Logger":
    """JSON logs for the `sharebox` logger tree (every `logging.getLogger("sharebox.*")`)."""
    from aws_lambda_powertools import Logger

    from app.settings import get_settings

    logger = Logger(service=SERVICE, level=get_settings().log_level)
    _built.append(logger)
    return logger


# The Logger once built (by the first invocation on Lambda): `append_keys` runs several times
# per request, and asking the environment each time costs ~2 µs of a warm request.
_built: list["Logger"] = []


@functools.cache
def lambda_metrics() -> "Metrics":
    from aws_lambda_powertools import Metrics

    return Metrics(namespace=NAMESPACE, service=SERVICE)


def append_keys(**keys: str | None) -> None:
    """Add keys (request_id, user_id, file_id) to every JSON log line of this invocation."""
    for logger in _built:
        logger.append_keys(**{k: v for k, v in keys.items() if v is not None})


def metric(name: str, value: float = 1, unit: str = "Count") -> None:
    """Record one CloudWatch metric (EMF, flushed at the end of the invocation)."""
    if on_lambda():
        lambda_metrics().add_metric(name=name, unit=unit, value=value)
        _recorded.add(name)


# Names recorded by the running invocation: most invocations record none (an API success).
_recorded: set[str] = set()


def _tracing_enabled() -> bool:
    from app.settings import get_settings

    disabled = os.environ.get("POWERTOOLS_TRACE_DISABLED", "false").lower() in {"1", "true"}
    return get_settings().trace_aws_calls and not disabled


def _instrument(handler: LambdaHandler, correlation_path: str | None) -> LambdaHandler:
    instrumented = _flushing_metrics(handler)
    if _tracing_enabled():
        from aws_lambda_powertools import Tracer

        # Responses carry tokens and presigned URLs: never copy them into traces.
        tracer = Tracer(service=SERVICE)
        instrumented = tracer.capture_lambda_handler(instrumented, capture_response=False)
    if correlation_path:
        instrumented = _correlated(instrumented, correlation_path.split("."))
    return lambda_logger().inject_lambda_context(instrumented, clear_state=True)


def _flushing_metrics(handler: LambdaHandler) -> LambdaHandler:
    """`flush_metrics()` after an invocation that recorded any. `log_metrics` flushes after
    every one, and warns when there is nothing to flush: ~5 µs of each warm request here
    (README "Performance"), where most record nothing."""
    metrics = lambda_metrics()

    def flushing(event: dict[str, Any], context: Any) -> Any:
        try:
            return handler(event, context)
        finally:
            if _recorded:
                _recorded.clear()
                metrics.flush_metrics()

    return flushing


def _correlated(handler: LambdaHandler, keys: list[str]) -> LambdaHandler:
    """`set_correlation_id` from a path of keys into the event. `inject_lambda_context`'s
    `correlation_id_path` takes a JMESPath, whose query costs ~15 µs of every invocation here
    (README "Performance"); within `clear_state`, so it is the invocation's own."""
    logger = lambda_logger()

    def correlated(event: dict[str, Any], context: Any) -> Any:
        found: Any = event
        for key in keys:
            found = found.get(key) if isinstance(found, dict) else None
        logger.set_correlation_id(found)
        return handler(event, context)

    return correlated


def lambda_entry(handler: LambdaHandler, *, correlation_path: str | None = None) -> LambdaHandler:
    """Wrap a Lambda entry point with Powertools on Lambda; call it unchanged elsewhere.

    `correlation_path` names the keys to the correlation id in the event, dot-separated
    ("requestContext.requestId" for API Gateway). The wrapping is built by the first
    invocation on Lambda (during init under SnapStart, so that it is part of the snapshot).
    """
    instrumented = functools.cache(lambda: _instrument(handler, correlation_path))

    @functools.wraps(handler)
    def entry(event: dict[str, Any], context: Any = None) -> Any:
        if not on_lambda():
            return handler(event, context)
        return instrumented()(event, context)

    if _snap_start():
        instrumented()
    return entry
