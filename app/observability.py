"""Logs, metrics and traces: Powertools on Lambda (JSON, CloudWatch EMF, X-Ray), quiet locally.

Locally (`make run`, tests) nothing here imports Powertools: logs stay the human-readable
stdlib ones, `metric()` does nothing and `append_keys()` only fills a dict nobody reads. On
Lambda, `lambda_entry` keeps each invocation's event, context and cold start, and
`append_keys` collects our request, user and file ids in a dict of ours: most invocations (an
API success) log no line, and for them that is all. The first line an invocation logs brings
the Powertools Logger up to date, through a `logging.Filter` on its handler and the Logger's
documented calls only: `clear_state` (the previous invocation's keys), `append_keys` with the
keys `inject_lambda_context` would add (`cold_start`, `function_name`, `function_memory_size`,
`function_arn`, `function_request_id`) and ours, `set_correlation_id`; a key added later
reaches the next line. Metrics are flushed (`flush_metrics`, EMF) after an invocation that
recorded one and, with TRACE_AWS_CALLS, the Tracer wraps it (`capture_lambda_handler`). The
Logger, Metrics and Tracer are built once per process, the documented way, by the first
invocation rather than at import, so importing the app stays the floor's; a SnapStart init
(prod) builds them before the snapshot instead. README "Performance" has the measurements.
"""

import functools
import logging
import os
import threading
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
NOTIFICATIONS_LOST = "NotificationsLost"
AUTH_FAILURES = "AuthFailures"

LambdaHandler = Callable[[dict[str, Any], Any], Any]


def on_lambda() -> bool:
    return "AWS_LAMBDA_FUNCTION_NAME" in os.environ


def _snap_start() -> bool:
    return on_lambda() and os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start"


class _Invocation:
    """The running invocation, as its log lines need it: kept as is until one is logged."""

    def __init__(self) -> None:
        self.event: dict[str, Any] = {}
        self.context: Any = None
        self.correlation_path: list[str] | None = None
        self.cold_start = False
        self.keys: dict[str, str] = {}  # ours, not yet handed to the Logger
        self.logged = True  # the Logger has this invocation's context (none before the first)


_invocation = _Invocation()

# Powertools' rule: the first invocation of a process is cold, none is under provisioned
# concurrency. Read once: an environment's variables do not change.
_cold_start = os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") != "provisioned-concurrency"


class _UpToDate(logging.Filter):
    """On the Logger's handler: before a line is written, hands the Logger what the
    invocation has that it lacks, with its documented calls. Lets every line through."""

    def __init__(self, logger: "Logger") -> None:
        super().__init__()
        self.logger = logger
        self.lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        now = _invocation
        if not now.logged or now.keys:
            with self.lock:
                self._update(now)
        return True

    def _update(self, now: _Invocation) -> None:
        logger = self.logger
        if not now.logged:
            logger.clear_state()
            context = now.context
            if context is not None:
                # What `inject_lambda_context` adds, from the context's documented attributes.
                # A stand-in context (a replay, a bench) may lack some: never fail a log call.
                logger.append_keys(
                    cold_start=now.cold_start,
                    function_name=getattr(context, "function_name", ""),
                    function_memory_size=getattr(context, "memory_limit_in_mb", 0),
                    function_arn=getattr(context, "invoked_function_arn", ""),
                    function_request_id=getattr(context, "aws_request_id", ""),
                )
            if now.correlation_path is not None:
                found: Any = now.event
                for key in now.correlation_path:
                    found = found.get(key) if isinstance(found, dict) else None
                logger.set_correlation_id(found)
            now.logged = True  # last: a line of another thread waits for the lock till then
        keys, now.keys = now.keys, {}
        if keys:
            logger.append_keys(**keys)


@functools.cache
def lambda_logger() -> "Logger":
    """JSON logs for the `sharebox` logger tree (every `logging.getLogger("sharebox.*")`)."""
    from aws_lambda_powertools import Logger

    from app.settings import get_settings

    logger = Logger(service=SERVICE, level=get_settings().log_level)
    logger.registered_handler.addFilter(_UpToDate(logger))
    return logger


@functools.cache
def lambda_metrics() -> "Metrics":
    from aws_lambda_powertools import Metrics

    return Metrics(namespace=NAMESPACE, service=SERVICE)


def append_keys(**keys: str | None) -> None:
    """Add keys (request_id, user_id, file_id) to every JSON log line of this invocation
    logged after the call; the Logger gets them with the invocation's next line, if any."""
    collected = _invocation.keys
    for key, value in keys.items():
        if value is not None:
            collected[key] = value


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
    return _kept(instrumented, correlation_path.split(".") if correlation_path else None)


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


def _kept(handler: LambdaHandler, correlation_path: list[str] | None) -> LambdaHandler:
    """Keeps the invocation's event, context and cold start for its first log line, and
    starts its keys afresh: what `inject_lambda_context(clear_state=True)` does up front
    costs ~15 µs of every warm request here (README "Performance"), where most log nothing.
    `correlation_path` is a path of keys into the event (`correlation_id_path`'s JMESPath
    query costs ~15 µs more). With a sampling rate (POWERTOOLS_LOGGER_SAMPLE_RATE), each
    warm invocation samples again, as under the decorator."""
    now = _invocation
    logger = lambda_logger()
    sampled = bool(logger.sampling_rate)

    def kept(event: dict[str, Any], context: Any) -> Any:
        global _cold_start
        now.event, now.context, now.correlation_path = event, context, correlation_path
        now.cold_start, _cold_start = _cold_start, False
        now.keys, now.logged = {}, False
        if sampled and not now.cold_start:
            logger.refresh_sample_rate_calculation()
        return handler(event, context)

    return kept


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
