"""Background work `make run` runs beside the API: the upload worker's queue poller."""

import logging

from app.settings import get_settings

logger = logging.getLogger("sharebox.local")
_poller = None
STOP_WITHIN_SECONDS = 1  # SQS's WaitTimeSeconds is whole seconds


def start() -> None:
    """Start polling the uploads queue, so uploads become available with no client call."""
    global _poller
    queue_url = get_settings().queue_url
    if not queue_url:
        logger.warning("QUEUE_URL is not set: uploads will not be processed in the background")
        return
    from app.worker.poller import QueuePoller

    # A 1 s long poll still answers as soon as a message lands, and bounds how long Ctrl-C
    # waits for the thread (the poller's 5 s default made it ~4.6 s).
    _poller = QueuePoller(queue_url, wait_seconds=STOP_WITHIN_SECONDS)
    _poller.start()


def stop() -> None:
    """Stop it cleanly: the batch in hand finishes, then the thread is joined."""
    global _poller
    if _poller is not None:
        _poller.stop()
        _poller = None


def stop_soon() -> None:
    """Let the poller's current long poll be its last (`make run` got SIGINT or SIGTERM)."""
    if _poller is not None:
        _poller.stop_soon()
