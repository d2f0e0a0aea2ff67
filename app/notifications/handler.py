"""The notifications Lambda's entry point: an SQS batch of queued notifications, each one an
email at most, with partial batch failures.

A message that fails (SES refused it, DynamoDB did not answer) is reported in
`batchItemFailures` and made visible again after an exponential backoff on its receive count
(ChangeMessageVisibility: 30 s, 60 s, 120 s... at most 15 minutes); after the queue's
maxReceiveCount it goes to the dead-letter queue. The other messages of the batch are sent
and deleted either way. A body that is not a notification cannot get better: it is logged and
failed with no backoff, so it reaches the dead-letter queue after those few receives instead
of being retried forever.
"""

import logging
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from app.aws import client
from app.clock import utcnow
from app.notifications import sender
from app.notifications.messages import decode
from app.notifications.ses import SendFailed
from app.observability import lambda_entry
from app.settings import get_settings

log = logging.getLogger("sharebox.notifications")

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 900


class NotANotification(ValueError):
    """A queued body that does not decode as any notification."""


def backoff_seconds(receive_count: int) -> int:
    """How long a message that failed its `receive_count`-th delivery stays invisible."""
    return min(BACKOFF_BASE_SECONDS * 2 ** (max(receive_count, 1) - 1), BACKOFF_MAX_SECONDS)


def handle_record(record: SQSRecord) -> None:
    """Send one message's email; raising reports it as a batch item failure."""
    keys = {"messageId": record.message_id}
    try:
        message = decode(record.body)
    except ValidationError as exc:
        log.error("notification dropped: the body is not a notification", extra=keys)
        _visible_again(record, 0)
        raise NotANotification(record.message_id) from exc
    keys["kind"] = message.kind
    count = int(record.attributes.get("ApproximateReceiveCount") or 1)
    try:
        sender.deliver(message, utcnow())
    except SendFailed as exc:
        log.warning(
            "SES refused a %s email: %s: %s",
            message.kind,
            exc.code,
            exc.reason,
            extra={**keys, "sesCode": exc.code, "sesReason": exc.reason, "receiveCount": count},
        )
        _visible_again(record, backoff_seconds(count))
        raise
    except Exception as exc:
        log.warning("notification failed: %r", exc, extra={**keys, "receiveCount": count})
        _visible_again(record, backoff_seconds(count))
        raise


def _visible_again(record: SQSRecord, seconds: int) -> None:
    """Redeliver the message in `seconds`; if SQS will not, the queue's timeout applies."""
    try:
        client("sqs").change_message_visibility(
            QueueUrl=get_settings().notifications_queue_url,
            ReceiptHandle=record.receipt_handle,
            VisibilityTimeout=seconds,
        )
    except (BotoCoreError, ClientError) as exc:
        log.warning("backoff not set: %r", exc, extra={"messageId": record.message_id})


def handle_batch(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """One batch: `{"batchItemFailures": [...]}` naming only the messages that failed."""
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return dict(
        process_partial_response(
            event=event, record_handler=handle_record, processor=processor, context=context
        )
    )


# The Lambda entry point (SQS event source with ReportBatchItemFailures); `make run`'s local
# poller calls it too.
handler = lambda_entry(handle_batch)
