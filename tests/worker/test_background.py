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


def test_make_runs_poller_stops_within_its_one_second_long_poll(aws: LocalResources) -> None:
    background.start()
    time.sleep(0.1)  # inside its first long poll of an empty queue
    started = time.monotonic()
    background.stop()

    # Ctrl-C waits for it: ~1 s, up to ~2.4 s on a loaded CI machine; ~4.6 s with 5 s polls.
    assert time.monotonic() - started < 3.5


def test_stop_soon_ends_the_poll_loop_without_waiting_for_it(aws: LocalResources) -> None:
    background.start()
    poller = background._poller
    assert poller is not None
    started = time.monotonic()
    background.stop_soon()
    asked = time.monotonic() - started
    poller.stop(timeout=5)

    assert asked < 0.1
    assert not poller.running
    background.stop()
