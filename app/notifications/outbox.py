"""Queue a notification for the sender, never failing the caller.

The API and the worker call this after the change the email announces is committed. A
notification is a courtesy on top of that change: when the queue cannot be reached in the
call's budget the change stands, and the loss is logged and counted (metric
`NotificationsLost`) instead of turning a finished share or upload into an error.
"""

import logging

from botocore.exceptions import BotoCoreError, ClientError

from app import observability
from app.aws import client
from app.notifications.messages import Notification, encode
from app.settings import get_settings

log = logging.getLogger("sharebox.notifications")


def enqueue(message: Notification, *, delay_seconds: int = 0) -> bool:
    """Send `message` to the notifications queue; False (logged) when it could not be."""
    queue_url = get_settings().notifications_queue_url
    if not queue_url:
        log.warning(
            "notification not queued: NOTIFICATIONS_QUEUE_URL is not set (%s)", message.kind
        )
        return False
    try:
        client("sqs").send_message(
            QueueUrl=queue_url, MessageBody=encode(message), DelaySeconds=delay_seconds
        )
    except (BotoCoreError, ClientError) as exc:
        log.error("notification lost: %s (%s)", message.kind, exc)
        observability.metric(observability.NOTIFICATIONS_LOST)
        return False
    return True
