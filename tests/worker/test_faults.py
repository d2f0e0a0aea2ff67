"""The worker loses no upload to a failing dependency: the message comes back, dead-letters
after its retries with a line naming the object, and a redrive processes it."""

import logging
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from app.files import repository
from app.local.bootstrap import LocalResources, create_queues
from app.worker.handler import handler
from app.worker.poller import QueuePoller
from app.worker.redrive import redrive
from tests.conftest import reload_settings
from tests.faults import inject
from tests.worker.conftest import Upload, load_event, message_ids, usage

pytestmark = pytest.mark.usefixtures("tight_budget")


def failure_lines(caplog: pytest.LogCaptureFixture, key: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "outcome", None) == "failed" and key in r.key]  # type: ignore[attr-defined]


def test_an_upload_processed_while_the_table_is_down_comes_back_and_becomes_available(
    upload: Upload, owner_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    landed = upload(b"plain words", "text/plain", name="notes.txt")
    event = load_event("sqs_single_upload", [landed.file_id])

    with inject("dynamodb", "refuse"), caplog.at_level(logging.WARNING, "sharebox.worker"):
        answer = handler(event, None)

    assert answer == {"batchItemFailures": [{"itemIdentifier": message_ids(event)[0]}]}
    assert failure_lines(caplog, f"uploads/{landed.file_id}")
    assert handler(event, None) == {"batchItemFailures": []}  # the redelivery, table back
    record = repository.get_file(landed.file_id)
    assert record is not None and record.status == "available"
    assert usage(owner_id) == (len(b"plain words"), 1)


@pytest.fixture
def queues(aws: LocalResources) -> Iterator[tuple[Any, str, str]]:
    sqs = boto3.client("sqs", region_name="us-east-1")
    queue_url, dlq_url = create_queues(sqs, "faults-uploads")
    yield sqs, queue_url, dlq_url
    sqs.delete_queue(QueueUrl=queue_url)
    sqs.delete_queue(QueueUrl=dlq_url)


def test_a_message_that_keeps_failing_is_dead_lettered_then_redriven_and_processed(
    upload: Upload,
    owner_id: str,
    queues: tuple[Any, str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    sqs, queue_url, dlq_url = queues
    landed = upload(b"some bytes", "text/plain", name="report.txt")
    body = load_event("sqs_single_upload", [landed.file_id])["Records"][0]["body"]
    sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    poller = QueuePoller(queue_url, sqs=sqs, handle=handler, wait_seconds=0, retry_delay=0)
    os.environ["AWS_MAX_ATTEMPTS"] = "1"  # one attempt a delivery keeps the test quick
    reload_settings()

    with inject("dynamodb", "refuse"), caplog.at_level(logging.WARNING, "sharebox.worker"):
        received = [poller.poll_once() for _ in range(4)]

    assert received == [1, 1, 1, 0]  # three deliveries (maxReceiveCount), then dead-lettered
    assert len(failure_lines(caplog, f"uploads/{landed.file_id}")) == 3
    record = repository.get_file(landed.file_id)
    assert record is not None and record.status == "pending"

    assert redrive(sqs, queue_url) == 1
    assert sqs.receive_message(QueueUrl=dlq_url, WaitTimeSeconds=0).get("Messages") is None
    assert poller.poll_once() == 1
    record = repository.get_file(landed.file_id)
    assert record is not None and record.status == "available"
    assert usage(owner_id) == (len(b"some bytes"), 1)
