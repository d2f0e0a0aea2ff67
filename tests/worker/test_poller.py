"""The local poller: the Lambda event source mapping's behaviour, on a queue of its own."""

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from app.local.bootstrap import LocalResources, create_queues
from app.worker.poller import QueuePoller

Queues = tuple[Any, str, str]


@pytest.fixture
def queues(aws: LocalResources, request: pytest.FixtureRequest) -> Iterator[Queues]:
    """A queue and its dead-letter queue (maxReceiveCount 3), as template.yaml declares them."""
    sqs = boto3.client("sqs", region_name="us-east-1")
    queue_url, dlq_url = create_queues(sqs, f"poller-{request.node.name[:40]}")
    yield sqs, queue_url, dlq_url
    sqs.delete_queue(QueueUrl=queue_url)
    sqs.delete_queue(QueueUrl=dlq_url)


class Recorder:
    """A batch handler that fails the bodies it is told to and remembers every event."""

    def __init__(self, failing: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.failing = failing
        self.events: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(event)
        failures = [
            {"itemIdentifier": r["messageId"]}
            for r in event["Records"]
            if r["body"] in self.failing
        ]
        return {"batchItemFailures": failures}

    def bodies(self) -> list[str]:
        return [r["body"] for event in self.events for r in event["Records"]]


def bodies_in(sqs: Any, queue_url: str) -> list[str]:
    answer = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return [m["Body"] for m in answer.get("Messages", [])]


def test_poller_hands_lambda_shaped_sqs_events_to_the_handler(queues: Queues) -> None:
    sqs, queue_url, _ = queues
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"Event": "s3:TestEvent"}))
    recorder = Recorder()

    assert QueuePoller(queue_url, handle=recorder, sqs=sqs, wait_seconds=0).poll_once() == 1

    [record] = recorder.events[0]["Records"]
    assert record["body"] == '{"Event": "s3:TestEvent"}'
    assert record["eventSource"] == "aws:sqs"
    queue_name = queue_url.rsplit("/", 1)[1]
    assert record["eventSourceARN"] == f"arn:aws:sqs:us-east-1:123456789012:{queue_name}"
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageId"] and record["receiptHandle"] and record["md5OfBody"]


def test_handled_messages_are_deleted_and_a_poison_one_ends_in_the_dead_letter_queue(
    queues: Queues,
) -> None:
    sqs, queue_url, dlq_url = queues
    for body in ("first", "poison", "last"):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    recorder = Recorder(failing={"poison"})
    poller = QueuePoller(queue_url, handle=recorder, sqs=sqs, wait_seconds=0, retry_delay=0)

    for _ in range(5):
        poller.poll_once()

    assert sorted(recorder.bodies()) == ["first", "last", "poison", "poison", "poison"]
    assert bodies_in(sqs, queue_url) == []
    assert bodies_in(sqs, dlq_url) == ["poison"]


def test_a_failed_message_comes_back_after_the_retry_delay_not_the_queue_timeout(
    queues: Queues,
) -> None:
    sqs, queue_url, _ = queues
    sqs.send_message(QueueUrl=queue_url, MessageBody="flaky")
    poller = QueuePoller(
        queue_url, handle=Recorder(failing={"flaky"}), sqs=sqs, wait_seconds=0, retry_delay=1
    )

    poller.poll_once()

    assert bodies_in(sqs, queue_url) == []  # still invisible (the queue's timeout is 180 s)
    time.sleep(1.2)
    assert bodies_in(sqs, queue_url) == ["flaky"]


def test_poller_survives_a_crashing_handler_and_stops_cleanly(queues: Queues) -> None:
    sqs, queue_url, _ = queues
    sqs.send_message(QueueUrl=queue_url, MessageBody="boom")
    calls: list[int] = []

    def crash(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(1)
        raise RuntimeError("handler bug")

    poller = QueuePoller(queue_url, handle=crash, sqs=sqs, wait_seconds=1, error_backoff=0.05)
    poller.start()
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    poller.stop()

    assert calls
    assert not poller.running
    assert time.monotonic() - started < 3
