"""The worker Lambda's entry point: an SQS batch of S3 notifications, with partial failures.

Each message is one record of Powertools' batch processor: a message that raises is reported
in `batchItemFailures` and only it comes back (and after the queue's maxReceiveCount, goes to
the dead-letter queue); the others are deleted.
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from app.observability import lambda_entry
from app.worker.events import parse_body
from app.worker.processing import process_object


def handle_record(record: SQSRecord) -> None:
    """Process every object one message announces; raising retries the whole message."""
    for obj in parse_body(record.body):
        process_object(obj)


def handle_batch(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """One SQS batch: `{"batchItemFailures": [...]}` naming only the messages that failed."""
    # A fresh processor per batch: it keeps per-batch state, and the local poller's thread
    # and a test may run batches side by side.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return dict(
        process_partial_response(
            event=event, record_handler=handle_record, processor=processor, context=context
        )
    )


# The Lambda entry point (SQS event source with ReportBatchItemFailures); the local poller
# calls it too. On Lambda it adds Powertools' JSON logs, metrics and tracing.
handler = lambda_entry(handle_batch)
