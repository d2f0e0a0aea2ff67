"""`make run`'s stand-in for the SQS event source mapping: a long-polling daemon thread.

It hands each batch to the Lambda handler as an SQS event, so local and deployed runs share
one code path, then deletes the messages the handler did not report as failed. Between polls
it also stands in for the once-a-minute schedule (what is due goes for good) and for the
table's stream, which the emulator cannot serve (moto answers DescribeStream "not yet
implemented"): the purge jobs still waiting go to the same handler as the stream event Lambda
would deliver. Failed ones
are made visible again after `retry_delay` seconds (the queue's own timeout is minutes), or,
with `retry_delay=None`, when the handler said (the notifications handler sets its own
backoff), and the queue's redrive policy moves a message that keeps failing to the
dead-letter queue. A poller of another queue (`make run`'s notifications) leaves the schedule
and the stream to the uploads poller (`stands_in_for_schedule=False`).
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

from app.aws import client
from app.clock import iso, utcnow

logger = logging.getLogger("sharebox.worker.poller")

BatchHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def _lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from app.worker.handler import handler  # Pillow loads with the first batch, not at start-up

    return handler(event, context)


class QueuePoller:
    """Receive, process, delete; until `stop()`."""

    def __init__(
        self,
        queue_url: str,
        *,
        handle: BatchHandler = _lambda_handler,
        sqs: Any = None,
        wait_seconds: int = 5,
        batch_size: int = 10,
        retry_delay: int | None = 5,
        error_backoff: float = 2.0,
        stands_in_for_schedule: bool = True,
    ) -> None:
        self.queue_url = queue_url
        self._handle = handle
        self._sqs = sqs
        self.wait_seconds = wait_seconds
        self.batch_size = batch_size
        self.retry_delay = retry_delay
        self.error_backoff = error_backoff
        self.stands_in_for_schedule = stands_in_for_schedule
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._queue_arn: str | None = None

    @property
    def sqs(self) -> Any:
        return self._sqs or client("sqs")

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="sharebox-poller", daemon=True)
        self._thread.start()
        logger.info("queue poller started", extra={"queueUrl": self.queue_url})

    def stop_soon(self) -> None:
        """Ask the thread to stop after the batch in hand or the current poll; returns at once."""
        self._stopping.set()

    def stop(self, timeout: float | None = None) -> None:
        """Finish the batch in hand and the current long poll, then return."""
        self.stop_soon()
        if self._thread is not None:
            self._thread.join(timeout if timeout is not None else self.wait_seconds + 30)
            self._thread = None
        logger.info("queue poller stopped", extra={"queueUrl": self.queue_url})

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.poll_once()
                # One purge a turn: a stop waits for one at most.
                if self.stands_in_for_schedule and not self._stopping.is_set():
                    self.run_purge_jobs(limit=1)
            except Exception:
                logger.exception("queue poll failed", extra={"queueUrl": self.queue_url})
                self._stopping.wait(self.error_backoff)

    def poll_once(self) -> int:
        """One long poll and the batch it brought; returns how many messages it received."""
        answer = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=self.wait_seconds,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = answer.get("Messages", [])
        if not messages:
            return 0
        result = self._handle(self._event(messages), None)
        failed = {item["itemIdentifier"] for item in result.get("batchItemFailures", [])}
        self._settle(messages, failed)
        return len(messages)

    def run_purge_jobs(self, limit: int | None = None) -> int:
        """Hand what is due to the handler as the schedule's tick, then the waiting purge jobs
        (up to `limit`) as a stream batch; returns how many jobs."""
        from app.retention.repository import jobs as purge_jobs

        self._handle(schedule_event(self.sqs.meta.region_name), None)
        jobs = purge_jobs()[:limit]
        if jobs:
            self._handle(stream_event(jobs, self.sqs.meta.region_name), None)
        return len(jobs)

    def _event(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """The SQS event Lambda would deliver for these messages."""
        arn, region = self._arn(), self.sqs.meta.region_name
        return {
            "Records": [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m.get("Attributes", {}),
                    "messageAttributes": m.get("MessageAttributes", {}),
                    "md5OfBody": m.get("MD5OfBody", ""),
                    "eventSource": "aws:sqs",
                    "eventSourceARN": arn,
                    "awsRegion": region,
                }
                for m in messages
            ]
        }

    def _settle(self, messages: list[dict[str, Any]], failed: set[str]) -> None:
        done = [m for m in messages if m["MessageId"] not in failed]
        retry = [m for m in messages if m["MessageId"] in failed]
        if done:
            answer = self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=_entries(done))
            for miss in answer.get("Failed", []):
                logger.warning("message not deleted", extra={"entry": miss})
        if retry and self.retry_delay is not None:
            self.sqs.change_message_visibility_batch(
                QueueUrl=self.queue_url,
                Entries=[e | {"VisibilityTimeout": self.retry_delay} for e in _entries(retry)],
            )
        if retry:
            logger.warning(
                "messages left for redelivery",
                extra={"messageIds": [m["MessageId"] for m in retry]},
            )

    def _arn(self) -> str:
        if self._queue_arn is None:
            attributes = self.sqs.get_queue_attributes(
                QueueUrl=self.queue_url, AttributeNames=["QueueArn"]
            )
            self._queue_arn = str(attributes["Attributes"]["QueueArn"])
        return self._queue_arn


def _entries(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]


def schedule_event(region: str) -> dict[str, Any]:
    """The event EventBridge's schedule delivers (template.yaml, WorkerFunction `Due`)."""
    return {
        "version": "0",
        "id": "local",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": iso(utcnow()).split(".")[0] + "Z",
        "region": region,
        "resources": [f"arn:aws:events:{region}:000000000000:rule/local-due"],
        "detail": {},
    }


def stream_event(folder_ids: list[str], region: str) -> dict[str, Any]:
    """The DynamoDB stream event (KEYS_ONLY) Lambda delivers for these purge jobs' inserts."""
    return {
        "Records": [
            {
                "eventID": f"local-{i}",
                "eventName": "INSERT",
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": region,
                "dynamodb": {
                    "Keys": {"pk": {"S": "PURGE"}, "sk": {"S": folder_id}},
                    "SequenceNumber": str(i + 1),
                    "SizeBytes": 40,
                    "StreamViewType": "KEYS_ONLY",
                },
                "eventSourceARN": f"arn:aws:dynamodb:{region}:0:table/local/stream/local",
            }
            for i, folder_id in enumerate(folder_ids)
        ]
    }
