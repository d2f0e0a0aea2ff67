"""Fixtures for the sharing tests: ids, a settable clock, and moto's DynamoDB made item-atomic."""

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.local.bootstrap import LocalResources


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def atomic_items(aws: LocalResources) -> Iterator[None]:
    """DynamoDB applies writes to one item one at a time; moto does not, so give it that.

    Only the backend's single-item writes are serialized: anything our code did outside one
    conditional write (a read, then a write) still races, so the race tests keep their teeth.
    """
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.Lock()
    original = DynamoDBBackend.update_item

    def update_item(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with lock:
            return original(self, *args, **kwargs)

    DynamoDBBackend.update_item = update_item  # type: ignore[method-assign]
    try:
        yield
    finally:
        DynamoDBBackend.update_item = original  # type: ignore[method-assign]
