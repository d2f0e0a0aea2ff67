"""The worker Lambda's entry point: an SQS batch of S3 notifications or a batch of the table's
stream (purge jobs), with partial failures; or the once-a-minute schedule (what is due goes
for good: trash past its days, files past their expiry; the administrators' totals are
recounted when due).

Each message is one record of Powertools' batch processor: a message that raises is reported
in `batchItemFailures` and only it comes back (and after the queue's maxReceiveCount, goes to
the dead-letter queue); the others are deleted. A stream record that raises is retried from
that record on (the event source mapping's bisect and retry settings, template.yaml).
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from app.admin.stats import recount_if_due
from app.clock import utcnow
from app.observability import lambda_entry
from app.trash import purge
from app.trash.service import run_due
from app.worker.events import parse_body
from app.worker.processing import process_object


def handle_record(record: SQSRecord) -> None:
    """Process every object one message announces; raising retries the whole message."""
    for obj in parse_body(record.body):
        process_object(obj)


def handle_stream_record(record: DynamoDBRecord) -> None:
    """A purge job's insert (`PURGE / <id>`) runs that purge; other records pass."""
    keys = (record.dynamodb.keys if record.dynamodb else None) or {}
    if record.raw_event.get("eventName") != "INSERT" or keys.get("pk") != "PURGE":
        return
    purge.run(str(keys["sk"]))


def _is_stream(event: dict[str, Any]) -> bool:
    records = event.get("Records") or [{}]
    return records[0].get("eventSource") == "aws:dynamodb"


def _is_schedule(event: dict[str, Any]) -> bool:
    return event.get("source") == "aws.events" and event.get("detail-type") == "Scheduled Event"


def handle_batch(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """One batch: `{"batchItemFailures": [...]}` naming only the records that failed; or the
    schedule's tick (`{"due": n}`: how many items went for good; raising retries the tick),
    which also recounts the administrators' totals when that is due."""
    if _is_schedule(event):
        due = run_due()
        recount_if_due(utcnow())
        return {"due": due}
    # A fresh processor per batch: it keeps per-batch state, and the local poller's thread
    # and a test may run batches side by side.
    stream = _is_stream(event)
    processor = BatchProcessor(
        event_type=EventType.DynamoDBStreams if stream else EventType.SQS,
        raise_on_entire_batch_failure=False,
    )
    return dict(
        process_partial_response(
            event=event,
            record_handler=handle_stream_record if stream else handle_record,
            processor=processor,
            context=context,
        )
    )


# The Lambda entry point (SQS event source with ReportBatchItemFailures); the local poller
# calls it too. On Lambda it adds Powertools' JSON logs, metrics and tracing.
handler = lambda_entry(handle_batch)
