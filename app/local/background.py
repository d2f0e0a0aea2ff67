"""Background work `make run` runs beside the API: the upload worker's queue poller, and the
notifications queue's, which hands its batches to the notifications Lambda's handler."""

import logging
from typing import Any

from app.settings import get_settings

logger = logging.getLogger("sharebox.local")
_poller = None
_notifications_poller = None
STOP_WITHIN_SECONDS = 1  # SQS's WaitTimeSeconds is whole seconds


def _send_notifications(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from app.notifications.handler import handler  # with the first batch, not at start-up

    result: dict[str, Any] = handler(event, context)
    return result


def start() -> None:
    """Start polling the uploads queue, so uploads become available with no client call, and
    the notifications queue, so emails are sent (to the emulator's SES)."""
    global _poller, _notifications_poller
    from app.worker.poller import QueuePoller

    settings = get_settings()
    if not settings.queue_url:
        logger.warning("QUEUE_URL is not set: uploads will not be processed in the background")
    else:
        # A 1 s long poll still answers as soon as a message lands, and bounds how long Ctrl-C
        # waits for the thread (the poller's 5 s default made it ~4.6 s).
        _poller = QueuePoller(settings.queue_url, wait_seconds=STOP_WITHIN_SECONDS)
        _poller.start()
    if not settings.notifications_queue_url:
        logger.warning("NOTIFICATIONS_QUEUE_URL is not set: no emails will be sent")
        return
    # The handler sets each failed message's backoff itself, as on AWS (retry_delay=None).
    _notifications_poller = QueuePoller(
        settings.notifications_queue_url,
        handle=_send_notifications,
        wait_seconds=STOP_WITHIN_SECONDS,
        retry_delay=None,
        stands_in_for_schedule=False,
    )
    _notifications_poller.start()


def stop() -> None:
    """Stop them cleanly: the batch in hand finishes, then the threads are joined."""
    global _poller, _notifications_poller
    for poller in (_poller, _notifications_poller):
        if poller is not None:
            poller.stop_soon()  # both finish their last long poll at once
    for poller in (_poller, _notifications_poller):
        if poller is not None:
            poller.stop()
    _poller = _notifications_poller = None


def stop_soon() -> None:
    """Let the pollers' current long polls be their last (`make run` got SIGINT or SIGTERM)."""
    for poller in (_poller, _notifications_poller):
        if poller is not None:
            poller.stop_soon()
