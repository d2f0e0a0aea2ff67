"""Background work `make run` runs beside the API: the upload worker's queue poller."""

import logging

from app.settings import get_settings

logger = logging.getLogger("sharebox.local")
_poller = None


def start() -> None:
    """Start polling the uploads queue, so uploads become available with no client call."""
    global _poller
    queue_url = get_settings().queue_url
    if not queue_url:
        logger.warning("QUEUE_URL is not set: uploads will not be processed in the background")
        return
    from app.worker.poller import QueuePoller

    _poller = QueuePoller(queue_url)
    _poller.start()


def stop() -> None:
    """Stop it cleanly: the batch in hand finishes, then the thread is joined."""
    global _poller
    if _poller is not None:
        _poller.stop()
        _poller = None
