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

# hang: silent until the read timeout; refuse: no connection; throttle: the service's throttling
# error; fail: a 500; lose: carried out by (in-process) moto, but the answer never comes back;
# slow: the answer takes `seconds` (past the read timeout: carried out, the answer never read);
# gone: S3's NoSuchUpload, as S3 answers for a multipart upload completed or aborted (moto
# answers a completed one's completion again, and fails an aborted one's with a KeyError).
Kind = Literal["hang", "refuse", "throttle", "fail", "lose", "slow", "gone"]

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
    """`times` attempts fail (None: every attempt until the block ends); `attempts` counts them.

    `read_timeout` is that of the client the fault is on.
    """

    service: str
    kind: Kind
    read_timeout: float
    operation: str | None = None
    times: int | None = None
    seconds: float = 0.0
    attempts: int = 0

    def __call__(self, request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        if self.operation and not event_name.endswith(f".{self.operation}"):
            return None
        if self.times is not None and self.attempts >= self.times:
            return None
        self.attempts += 1
        if self.kind == "hang":  # the socket stays silent until the read timeout
            time.sleep(self.read_timeout)
            raise ReadTimeoutError(endpoint_url=request.url)
        if self.kind == "slow":
            if self.seconds <= self.read_timeout:
                time.sleep(self.seconds)
                return None  # moto answers
            time.sleep(self.read_timeout)  # botocore gives up, the service carries on
            botocore_stubber(event_name=event_name, request=request)
            raise ReadTimeoutError(endpoint_url=request.url)
        if self.kind == "refuse":
            raise EndpointConnectionError(endpoint_url=request.url)
        if self.kind == "lose":
            botocore_stubber(event_name=event_name, request=request)
            raise ReadTimeoutError(endpoint_url=request.url)
        if self.kind == "gone":
            return self._answer(request, "NoSuchUpload", 404)
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


def _client_for(service: str, operation: str | None) -> Any:
    """The app's client that makes `operation`: S3's completion has its own (app/aws.py)."""
    if (service, operation) == ("s3", "CompleteMultipartUpload"):
        return aws.completing_client()
    return aws.client(service)


@contextmanager
def inject(
    service: str,
    kind: Kind,
    operation: str | None = None,
    times: int | None = None,
    seconds: float = 0.0,
) -> Iterator[Fault]:
    """Within the block, `service`'s `operation` (every one if None) fails as `kind`."""
    target = _client_for(service, operation)
    fault = Fault(service, kind, target.meta.config.read_timeout, operation, times, seconds)
    events = target.meta.events
    service_id = target.meta.service_model.service_id.hyphenize()
    events.register_first(f"before-send.{service_id}", fault, unique_id=id(fault))
    try:
        yield fault
    finally:
        events.unregister(f"before-send.{service_id}", unique_id=id(fault))
