"""Fault injection for the suite: make a chosen AWS call hang, throttle, refuse or fail.

A fault is a botocore `before-send` handler on the app's own client, so it acts on each HTTP
attempt, under the client's real timeouts, retry mode and the request budget, exactly where a
network or service failure would. In-process moto answers from a later `before-send` handler:
a fault that raises stops it, and a fault that answers points the request at a URL moto does not
serve, so the injected failure is never also carried out.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from moto.core.models import botocore_stubber

from app import aws
from app.settings import get_settings

# hang: silent until the read timeout; refuse: no connection; throttle: the service's throttling
# error; fail: a 500; lose: carried out by (in-process) moto, but the answer never comes back.
Kind = Literal["hang", "refuse", "throttle", "fail", "lose"]

# The throttling error each service answers with, and its HTTP status.
_THROTTLE = {
    "dynamodb": ("ProvisionedThroughputExceededException", 400),
    "s3": ("SlowDown", 503),
    "cognito-idp": ("TooManyRequestsException", 400),
    "sqs": ("RequestThrottled", 400),
}
_NOT_SERVED = "http://fault-injected.invalid/"


class _Body:
    """A raw body as botocore's AWSResponse reads it."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


@dataclass
class Fault:
    """`times` attempts fail (None: every attempt until the block ends); `attempts` counts them."""

    service: str
    kind: Kind
    operation: str | None = None
    times: int | None = None
    attempts: int = 0

    def __call__(self, request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        if self.operation and not event_name.endswith(f".{self.operation}"):
            return None
        if self.times is not None and self.attempts >= self.times:
            return None
        self.attempts += 1
        if self.kind == "hang":  # the socket stays silent until the read timeout
            time.sleep(get_settings().aws_read_timeout_seconds)
            raise ReadTimeoutError(endpoint_url=request.url)
        if self.kind == "refuse":
            raise EndpointConnectionError(endpoint_url=request.url)
        if self.kind == "lose":
            botocore_stubber(event_name=event_name, request=request)
            raise ReadTimeoutError(endpoint_url=request.url)
        code, status = (
            _THROTTLE[self.service] if self.kind == "throttle" else ("InternalError", 500)
        )
        return self._answer(request, code, status)

    def _answer(self, request: Any, code: str, status: int) -> AWSResponse:
        request.url = _NOT_SERVED  # in-process moto serves AWS hostnames only
        protocol = aws.client(self.service).meta.service_model.protocol
        if protocol == "rest-xml":
            body = f"<Error><Code>{code}</Code><Message>injected</Message></Error>".encode()
            headers = {"Content-Type": "application/xml"}
        else:
            body = f'{{"__type": "{code}", "message": "injected"}}'.encode()
            headers = {"Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse(_NOT_SERVED, status, headers, _Body(body))


@contextmanager
def inject(
    service: str, kind: Kind, operation: str | None = None, times: int | None = None
) -> Iterator[Fault]:
    """Within the block, `service`'s `operation` (every one if None) fails as `kind`."""
    fault = Fault(service, kind, operation, times)
    events = aws.client(service).meta.events
    service_id = aws.client(service).meta.service_model.service_id.hyphenize()
    events.register_first(f"before-send.{service_id}", fault, unique_id=id(fault))
    try:
        yield fault
    finally:
        events.unregister(f"before-send.{service_id}", unique_id=id(fault))
