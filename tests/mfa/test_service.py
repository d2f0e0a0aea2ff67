"""The two-factor rules without HTTP: one attempt budget for every code, each code once, each
log-in session once."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from app.auth.errors import InvalidCode, LoginSessionExpired, LoginSessionInvalid
from app.mfa import repository as repo
from app.mfa import service
from app.mfa.errors import TooManyCodeAttempts
from tests.conftest import ApiUser


def window_start() -> datetime:
    """The start of the next 5-minute attempt window (so a test's codes share one)."""
    epoch = int(datetime.now(UTC).timestamp())
    return datetime.fromtimestamp(epoch - epoch % 300 + 300, UTC)


def code(secret: str, now: datetime) -> str:
    return str(pyotp.TOTP(secret).at(now))


def test_enable_and_disable_codes_share_one_budget(user: ApiUser) -> None:
    now = window_start()
    secret = service.set_up(user.user_id, user.access_token, now).secret
    for _ in range(4):
        with pytest.raises(InvalidCode):
            service.enable(user.user_id, user.access_token, "000000", now)
    service.enable(user.user_id, user.access_token, code(secret, now), now)  # the fifth
    later = now + timedelta(seconds=30)
    with pytest.raises(TooManyCodeAttempts) as refused:
        service.disable(user.user_id, user.access_token, code(secret, later), later)
    assert refused.value.status == 429
    assert int(refused.value.headers["Retry-After"]) == 270  # the window's end


def test_a_time_step_is_accepted_once_and_never_an_older_one(user: ApiUser) -> None:
    service.set_up(user.user_id, user.access_token, datetime.now(UTC))
    assert repo.use_step(user.user_id, 1000)
    assert not repo.use_step(user.user_id, 1000)  # a parallel request with the same code
    assert not repo.use_step(user.user_id, 999)
    assert repo.use_step(user.user_id, 1001)


def test_no_step_is_recorded_for_a_user_without_a_secret() -> None:
    assert not repo.use_step("no-such-user", 1)


def test_a_session_is_answered_once() -> None:
    repo.save_login("session-1", "u-1", "Ann@Example.com", expires_at=2**40)
    challenge = repo.get_login("session-1")
    assert challenge is not None
    assert (challenge.user_id, challenge.email, challenge.used) == ("u-1", "ann@example.com", False)
    assert repo.spend_login("session-1", "2026-11-22T12:00:00.000000Z")
    assert not repo.spend_login("session-1", "2026-11-22T12:00:01.000000Z")
    used = repo.get_login("session-1")
    assert used is not None and used.used
    assert not repo.spend_login("never-issued", "2026-11-22T12:00:00.000000Z")


def test_the_table_holds_the_sessions_hash_not_the_session() -> None:
    from app import db

    repo.save_login("the-session-itself", "u-2", "b@example.com", expires_at=2**40)
    items = db.dynamodb().scan(TableName=db.table_name())["Items"]
    assert not any("the-session-itself" in str(item) for item in items)


def test_a_session_is_expired_from_its_last_second_on(user: ApiUser) -> None:
    now = datetime.now(UTC)
    service.start_login(user.email, "session-expiry", now)
    with pytest.raises(LoginSessionExpired):
        service.finish_login(user.email, "session-expiry", "000000", now + timedelta(seconds=180))


def test_a_session_started_for_one_email_cannot_finish_for_another(user: ApiUser) -> None:
    now = datetime.now(UTC)
    service.start_login(user.email, "session-email", now)
    with pytest.raises(LoginSessionInvalid):
        service.finish_login("someone@example.com", "session-email", "000000", now)
    challenge = repo.get_login("session-email")
    assert challenge is not None and challenge.user_id == user.user_id and not challenge.used
