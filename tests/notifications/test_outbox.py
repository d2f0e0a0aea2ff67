"""The outbox: a notification reaches the queue as its JSON message; a queue that cannot be
reached loses only the notification, never the caller's request."""

import os

from botocore.stub import Stubber

from app.aws import client
from app.notifications import messages, outbox
from app.notifications.messages import SharedWithYou
from tests.conftest import reload_settings
from tests.notifications.conftest import drain

SHARED = SharedWithYou(
    recipient_id="r-1", owner_id="o-1", subject_type="file", subject_id="f-1", name="a.txt"
)


def test_a_notification_is_queued_as_its_json_message(queue: str) -> None:
    assert outbox.enqueue(SHARED)

    (received,) = drain(queue)
    assert messages.decode(received["Body"]) == SHARED
    assert '"recipientId":"r-1"' in received["Body"]


def test_a_queue_that_refuses_loses_the_notification_not_the_request(queue: str) -> None:
    with Stubber(client("sqs")) as sqs:
        sqs.add_client_error("send_message", "AWS.SimpleQueueService.NonExistentQueue")
        assert outbox.enqueue(SHARED) is False


def test_no_queue_configured_is_logged_not_raised(queue: str) -> None:
    before = os.environ.pop("NOTIFICATIONS_QUEUE_URL")
    reload_settings()
    try:
        assert outbox.enqueue(SHARED) is False
    finally:
        os.environ["NOTIFICATIONS_QUEUE_URL"] = before
        reload_settings()
