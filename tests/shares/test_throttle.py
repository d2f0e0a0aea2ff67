"""Password attempts are counted before the password is checked: per link and per client IP."""

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.errors import AppError
from app.shares import throttle, visitors
from app.shares.errors import TooManyPasswordAttempts
from tests.conftest import ApiUser
from tests.shares.conftest import FakeClock, Upload, store_password_link


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every scrypt evaluation from now on, counted (a spy: it still computes)."""
    calls: list[int] = []
    real = hashlib.scrypt

    def counting(*args: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    return calls


def attempt(token: str, password: str | None, ip: str, clock: FakeClock) -> int:
    """The status a download attempt answers."""
    try:
        visitors.download(token, password, ip=ip, now=clock())
    except AppError as error:
        return error.status
    return 200


def test_twenty_parallel_wrong_guesses_evaluate_at_most_five(
    upload: Upload, owner: ApiUser, clock: FakeClock, atomic_dynamodb: None, scrypt_calls: list[int]
) -> None:
    link = store_password_link(upload(owner), "the right one", clock())
    scrypt_calls.clear()  # the hash made above
    start = threading.Barrier(20)

    def guess(n: int) -> int:
        start.wait()
        return attempt(link.token, f"guess-{n}", f"198.51.100.{n}", clock)

    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(guess, range(20)))
    assert len(scrypt_calls) == throttle.MAX_PER_LINK == 5
    assert sorted(statuses) == [401] * 5 + [429] * 15


def test_one_ip_gets_twenty_attempts_over_all_links_and_other_ips_are_not_slowed(
    upload: Upload, owner: ApiUser, clock: FakeClock, scrypt_calls: list[int]
) -> None:
    file = upload(owner)
    tokens = [store_password_link(file, "the right one", clock()).token for _ in range(6)]
    scrypt_calls.clear()
    ip = "203.0.113.9"
    for token in tokens[:5]:
        assert [attempt(token, "guess", ip, clock) for _ in range(4)] == [401] * 4
    assert attempt(tokens[5], "the right one", ip, clock) == 429
    assert len(scrypt_calls) == throttle.MAX_PER_IP == 20
    assert attempt(tokens[5], "the right one", "203.0.113.10", clock) == 200


def test_the_right_password_counts_as_an_attempt_too(
    upload: Upload, owner: ApiUser, clock: FakeClock
) -> None:
    link = store_password_link(upload(owner), "the right one", clock())
    statuses = [attempt(link.token, "the right one", f"192.0.2.{n}", clock) for n in range(6)]
    assert statuses == [200] * 5 + [429]


def test_a_spent_window_refuses_until_it_ends_then_counts_afresh(
    upload: Upload, owner: ApiUser, clock: FakeClock
) -> None:
    link = store_password_link(upload(owner), "the right one", clock())
    for _ in range(throttle.MAX_PER_LINK):
        attempt(link.token, "guess", "192.0.2.1", clock)
    with pytest.raises(TooManyPasswordAttempts) as refused:
        visitors.download(link.token, "the right one", ip="192.0.2.1", now=clock())
    assert refused.value.status == 429 and refused.value.code == "too_many_attempts"
    retry_after = int(refused.value.headers["Retry-After"])
    window_end = (int(clock().timestamp()) // throttle.WINDOW_SECONDS + 1) * throttle.WINDOW_SECONDS
    assert retry_after == max(1, window_end - int(clock().timestamp()))
    clock.advance(retry_after)
    assert attempt(link.token, "the right one", "192.0.2.1", clock) == 200


def test_a_missing_password_is_refused_without_being_counted(
    upload: Upload, owner: ApiUser, clock: FakeClock, scrypt_calls: list[int]
) -> None:
    link = store_password_link(upload(owner), "the right one", clock())
    scrypt_calls.clear()
    assert [attempt(link.token, None, "192.0.2.2", clock) for _ in range(10)] == [401] * 10
    assert scrypt_calls == []
    assert attempt(link.token, "the right one", "192.0.2.2", clock) == 200


def test_a_link_without_password_is_never_throttled(
    client: TestClient, upload: Upload, owner: ApiUser
) -> None:
    file = upload(owner)
    body = {"expiresIn": 600}
    link = client.post(f"/files/{file['fileId']}/links", json=body, headers=owner.headers).json()
    path = f"/links/{link['token']}/download"
    assert {client.post(path, json={"password": "x"}).status_code for _ in range(8)} == {200}
