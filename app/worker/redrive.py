"""Move the dead-letter queue's messages back to the upload queue, to be processed again.

After an outage has dead-lettered uploads, or once a bug that poisoned some messages is
fixed: `python -m app.worker.redrive` (QUEUE_URL and AWS_ENDPOINT_URL as for the app). On AWS,
`aws sqs start-message-move-task --source-arn <UploadsDeadLetterQueueArn>` does the same
server-side. A message is sent to the queue before it leaves the dead-letter queue, so a crash
in between duplicates it, which processing tolerates: every step of it is idempotent.
"""

import json
import sys
from typing import Any

from app.aws import client
from app.settings import get_settings


def dead_letter_queue_url(sqs: Any, queue_url: str) -> str:
    """The dead-letter queue named by `queue_url`'s redrive policy."""
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["RedrivePolicy"])
    arn = json.loads(attributes["Attributes"]["RedrivePolicy"])["deadLetterTargetArn"]
    account, name = arn.split(":")[4:6]
    return str(sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"])


def redrive(sqs: Any, queue_url: str, dlq_url: str | None = None) -> int:
    """Move every message of the dead-letter queue to `queue_url`; returns how many moved."""
    source = dlq_url or dead_letter_queue_url(sqs, queue_url)
    moved = 0
    while True:
        answer = sqs.receive_message(
            QueueUrl=source, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=60
        )
        messages = answer.get("Messages", [])
        if not messages:
            return moved
        entries = [{"Id": str(i), "MessageBody": m["Body"]} for i, m in enumerate(messages)]
        sent = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        ok = {entry["Id"] for entry in sent.get("Successful", [])}
        done = [
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(messages)
            if str(i) in ok
        ]
        if done:
            sqs.delete_message_batch(QueueUrl=source, Entries=done)
        moved += len(done)
        if len(done) < len(messages):  # the rest stay dead-lettered: say so, do not spin
            raise RuntimeError(f"{len(messages) - len(done)} messages could not be sent back")


def main() -> int:
    queue_url = get_settings().queue_url
    if not queue_url:
        print("redrive: set QUEUE_URL to the upload queue's URL", file=sys.stderr)
        return 2
    moved = redrive(client("sqs"), queue_url)
    print(f"redrive: {moved} messages moved back to {queue_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
