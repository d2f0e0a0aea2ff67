"""The notifications Lambda on real-shaped SQS events: partial batch failures, backoff from the
receive count, and the dead-letter queue for what keeps failing, never blocking the rest."""

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from botocore.stub import ANY, Stubber

from app.aws import client
from app.local.bootstrap import LocalResources
from app.notifications.handler import backoff_seconds, handler
from app.notifications.messages import Invitation, SharedWithYou, encode
from app.worker.poller import QueuePoller
from tests.notifications.conftest import (
    SAMPLE_OWNER,
    SAMPLE_RECIPIENT,
    Mailbox,
    Person,
    drain,
    sample_event,
    standing,
    with_records,
)

Make = Callable[..., Person]


def failures(result: dict[str, Any]) -> list[str]:
    return [item["itemIdentifier"] for item in result["batchItemFailures"]]


def test_a_real_shaped_batch_sends_each_email_and_reports_no_failure(
    mailbox: Mailbox, person: Make
) -> None:
    recipient, owner = person("Bo"), person("Ann")
    event = sample_event({SAMPLE_RECIPIENT: recipient.user_id, SAMPLE_OWNER: owner.user_id})

    assert handler(event, None) == {"batchItemFailures": []}

    subjects = sorted(str(m["Subject"]) for m in mailbox.sent())
    assert subjects == [
        "Ann shared “Holiday photos” with you on Sharebox",
        "Ann shared “Quarterly <report>.pdf” with you",
        "Your upload “scan.png” was rejected",
    ]
    assert {m["To"] for m in mailbox.sent()} == {recipient.email, "invitee@example.com"}


def test_backoff_doubles_from_30_seconds_up_to_15_minutes() -> None:
    assert [backoff_seconds(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]


def test_an_ses_refusal_fails_only_its_message_logs_why_and_backs_off(
    mailbox: Mailbox, person: Make, caplog: pytest.LogCaptureFixture
) -> None:
    recipient, owner = person(), person()
    event = sample_event({SAMPLE_RECIPIENT: recipient.user_id, SAMPLE_OWNER: owner.user_id})
    event["Records"][1]["attributes"]["ApproximateReceiveCount"] = "3"
    refused = event["Records"][1]

    with Stubber(client("sesv2")) as ses, Stubber(client("sqs")) as sqs:
        ses.add_response("send_email", {"MessageId": "ses-1"})
        ses.add_client_error("send_email", "MessageRejected", "Email address is not verified.")
        ses.add_response("send_email", {"MessageId": "ses-3"})
        sqs.add_response(
            "change_message_visibility",
            {},
            {"QueueUrl": ANY, "ReceiptHandle": refused["receiptHandle"], "VisibilityTimeout": 120},
        )
        with caplog.at_level(logging.WARNING, "sharebox.notifications"):
            result = handler(event, None)
        ses.assert_no_pending_responses()
        sqs.assert_no_pending_responses()

    assert failures(result) == [refused["messageId"]]
    (line,) = [r for r in caplog.records if "SES refused" in r.getMessage()]
    assert line.getMessage() == (
        "SES refused a rejected email: MessageRejected: Email address is not verified."
    )
    assert (line.sesCode, line.receiveCount) == ("MessageRejected", 3)  # type: ignore[attr-defined]


def test_a_body_that_is_not_a_notification_fails_at_once_without_backoff(
    mailbox: Mailbox, person: Make, caplog: pytest.LogCaptureFixture
) -> None:
    recipient, owner = person(), person()
    event = sample_event({SAMPLE_RECIPIENT: recipient.user_id, SAMPLE_OWNER: owner.user_id})
    good = event["Records"][0]["body"]
    event = with_records(event, ["not json", json.dumps({"kind": "party"}), good])

    with Stubber(client("sqs")) as sqs:
        for handle in ("handle-0", "handle-1"):
            sqs.add_response(
                "change_message_visibility",
                {},
                {"QueueUrl": ANY, "ReceiptHandle": handle, "VisibilityTimeout": 0},
            )
        with caplog.at_level(logging.ERROR, "sharebox.notifications"):
            result = handler(event, None)

    assert failures(result) == ["msg-0", "msg-1"]
    assert len(mailbox.to(recipient.email)) == 1
    dropped = [r for r in caplog.records if r.getMessage().startswith("notification dropped")]
    assert len(dropped) == 2


# ---------------------------------------------------------------- through the real queue


def queue_counts(queue_url: str) -> tuple[int, int]:
    """(visible, in flight) messages of the queue."""
    attributes = client("sqs").get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return (
        int(attributes["ApproximateNumberOfMessages"]),
        int(attributes["ApproximateNumberOfMessagesNotVisible"]),
    )


class Lambda:
    """The notifications handler as the event source mapping runs it, remembering each
    body's latest receipt handle (so a test can let a backoff's time pass)."""

    def __init__(self) -> None:
        self.handles: dict[str, str] = {}
        self.results: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.handles.update({r["body"]: r["receiptHandle"] for r in event["Records"]})
        result: dict[str, Any] = handler(event, context)
        self.results.append(result)
        return result


def test_a_refused_email_backs_off_then_goes_to_the_dlq_while_the_rest_are_sent(
    mailbox: Mailbox, person: Make, aws: LocalResources, queue: str
) -> None:
    drain(aws.notifications_dlq_url)
    owner, recipient = person("Ann"), person()
    refused = encode(
        standing(
            Invitation(
                email="not-an-address",
                owner_id=owner.user_id,
                subject_type="file",
                subject_id="f",
                name="x",
            )
        )
    )
    fine = standing(
        SharedWithYou(
            recipient_id=recipient.user_id,
            owner_id=owner.user_id,
            subject_type="file",
            subject_id="f",
            name="report.pdf",
        )
    )
    sqs, run = client("sqs"), Lambda()
    sqs.send_message(QueueUrl=queue, MessageBody=refused)
    sqs.send_message(QueueUrl=queue, MessageBody=encode(fine))
    poller = QueuePoller(
        queue, handle=run, sqs=sqs, wait_seconds=0, retry_delay=None, stands_in_for_schedule=False
    )

    assert poller.poll_once() == 2
    assert len(mailbox.to(recipient.email)) == 1  # the other message was not held up
    assert queue_counts(queue) == (0, 1)  # the refused one waits out its backoff
    for _ in range(4):  # its backoff passes (the test's clock), and it fails again
        sqs.change_message_visibility(
            QueueUrl=queue, ReceiptHandle=run.handles[refused], VisibilityTimeout=0
        )
        assert poller.poll_once() == 1
    sqs.change_message_visibility(
        QueueUrl=queue, ReceiptHandle=run.handles[refused], VisibilityTimeout=0
    )

    assert poller.poll_once() == 0  # the sixth receive: moved to the dead-letter queue instead
    assert [m["Body"] for m in drain(aws.notifications_dlq_url)] == [refused]
    assert len(run.results) == 5 and all(len(r["batchItemFailures"]) == 1 for r in run.results)
    assert len(mailbox.to(recipient.email)) == 1


def test_a_body_that_is_not_a_notification_reaches_the_dlq_after_a_few_quick_tries(
    aws: LocalResources, queue: str
) -> None:
    drain(aws.notifications_dlq_url)
    sqs = client("sqs")
    sqs.send_message(QueueUrl=queue, MessageBody="{not a notification")
    poller = QueuePoller(
        queue,
        handle=handler,
        sqs=sqs,
        wait_seconds=0,
        retry_delay=None,
        stands_in_for_schedule=False,
    )

    tries = sum(poller.poll_once() for _ in range(8))

    assert tries == 5  # the queue's maxReceiveCount, each try at once (no backoff)
    assert [m["Body"] for m in drain(aws.notifications_dlq_url)] == ["{not a notification"]
