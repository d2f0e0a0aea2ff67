"""Wrong passwords on one link are limited per window, in DynamoDB."""

import secrets

import pytest

from app.local.bootstrap import LocalResources
from app.shares import throttle
from tests.shares.conftest import FakeClock


def test_after_the_allowed_failures_the_link_answers_429_until_the_window_ends(
    aws: LocalResources, clock: FakeClock
) -> None:
    token = secrets.token_urlsafe(16)
    for attempt in range(1, throttle.MAX_FAILURES + 1):
        throttle.ensure_allowed(token, clock())
        assert throttle.record_failure(token, clock()) == attempt
    with pytest.raises(throttle.TooManyPasswordAttempts) as refused:
        throttle.ensure_allowed(token, clock())
    assert refused.value.status == 429
    retry_after = int(refused.value.headers["Retry-After"])
    assert 1 <= retry_after <= throttle.WINDOW_SECONDS
    clock.advance(retry_after)
    throttle.ensure_allowed(token, clock())


def test_failures_on_one_link_do_not_slow_down_another(
    aws: LocalResources, clock: FakeClock
) -> None:
    token, other = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    for _ in range(throttle.MAX_FAILURES):
        throttle.record_failure(token, clock())
    throttle.ensure_allowed(other, clock())
