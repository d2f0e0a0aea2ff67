"""Make moto's DynamoDB answer one request at a time, as each DynamoDB request is atomic on AWS.

moto checks a condition and applies the write as separate Python steps, and undoes a failed
transaction by restoring a copy of the whole table, so two requests served by different
threads (the API and the worker's poller verifying the same upload) can both pass a condition
that only one may pass. Serializing the DynamoDB handler restores the guarantee the
conditional writes rely on; only `make run` and the tests use it.
"""

import threading
from collections.abc import Callable
from typing import Any


def serialize_dynamodb() -> Callable[[], None]:
    """Serialize every moto DynamoDB request in this process; returns the undo."""
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action
    lock = threading.RLock()

    def call_action(self: DynamoHandler) -> Any:
        with lock:
            return original(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]

    def undo() -> None:
        DynamoHandler.call_action = original  # type: ignore[method-assign]

    return undo
