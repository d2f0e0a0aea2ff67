import time

from app.local import background
from app.local.bootstrap import LocalResources


def test_make_run_starts_the_poller_on_the_uploads_queue_and_stops_it(aws: LocalResources) -> None:
    background.start()
    poller = background._poller
    try:
        assert poller is not None and poller.running
        assert poller.queue_url == aws.queue_url
    finally:
        started = time.monotonic()
        background.stop()

    assert not poller.running
    assert background._poller is None
    assert time.monotonic() - started < poller.wait_seconds + 5
