"""Fixtures for notification tests: the session's notifications queue, emptied around each."""

from collections.abc import Iterator
from typing import Any

import pytest

from app.aws import client
from app.local.bootstrap import LocalResources


def drain(queue_url: str) -> list[dict[str, Any]]:
    """Every message waiting in the queue, received and deleted (PurgeQueue allows one a minute)."""
    sqs, taken = client("sqs"), []
    while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages"):
        for message in batch:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        taken += batch
    return taken


@pytest.fixture
def queue(aws: LocalResources) -> Iterator[str]:
    drain(aws.notifications_queue_url)
    yield aws.notifications_queue_url
    drain(aws.notifications_queue_url)
