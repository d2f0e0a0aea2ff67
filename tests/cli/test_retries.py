"""retries.send on httpx.MockTransport: what is retried, how long it waits, when it gives up."""

from collections.abc import Callable

import httpx
import pytest

from app.cli import retries
from app.cli.errors import CliError

Handler = Callable[[httpx.Request], httpx.Response]


def scripted(*answers: int | type[httpx.TransportError]) -> tuple[httpx.Client, list[str]]:
    """A client whose requests get `answers` in turn (a status, or an exception to raise)."""
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        answer = answers[min(len(seen), len(answers) - 1)]
        seen.append(request.method)
        if isinstance(answer, int):
            headers = {"Retry-After": "3"} if answer == 429 else {}
            return httpx.Response(answer, headers=headers)
        raise answer("boom", request=request)

    return httpx.Client(transport=httpx.MockTransport(handle)), seen


def send(client: httpx.Client, method: str, waits: list[float]) -> httpx.Response:
    return retries.send(
        lambda: client.request(method, "https://api.test/x"),
        idempotent=method != "POST",
        sleep=waits.append,
    )


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_503_is_retried_where_a_second_try_is_harmless(method: str) -> None:
    client, seen = scripted(503, 503, 200)
    waits: list[float] = []

    assert send(client, method, waits).status_code == 200
    assert seen == [method] * 3
    assert len(waits) == 2 and all(0 <= w <= 8 for w in waits)


def test_a_post_is_not_retried_after_a_503_this_apis_503_can_follow_a_write() -> None:
    client, seen = scripted(503, 200)

    assert send(client, "POST", []).status_code == 503
    assert seen == ["POST"]


def test_429_waits_as_long_as_retry_after_says() -> None:
    client, seen = scripted(429, 201)
    waits: list[float] = []

    assert send(client, "POST", waits).status_code == 201
    assert (seen, waits) == (["POST", "POST"], [3.0])


def test_retry_after_is_capped() -> None:
    assert retries.backoff(0, "3600") == retries.LONGEST_WAIT
    assert 0 <= retries.backoff(10, "soon") <= 8.0


def test_a_connection_that_never_opened_is_retried_even_for_a_post() -> None:
    client, seen = scripted(httpx.ConnectError, httpx.ConnectTimeout, 200)

    assert send(client, "POST", []).status_code == 200
    assert len(seen) == 3


def test_a_post_is_never_retried_after_a_500() -> None:
    client, seen = scripted(500, 200)

    assert send(client, "POST", []).status_code == 500
    assert seen == ["POST"]


def test_a_get_is_retried_after_a_500_and_a_reset() -> None:
    client, seen = scripted(500, httpx.ReadError, 200)

    assert send(client, "GET", []).status_code == 200
    assert len(seen) == 3


def test_a_post_that_failed_mid_request_is_not_retried() -> None:
    client, seen = scripted(httpx.ReadError, 200)

    with pytest.raises(CliError) as raised:
        send(client, "POST", [])

    assert raised.value.code == "connection_failed"
    assert seen == ["POST"]


def test_it_gives_up_after_attempts_with_the_last_answer() -> None:
    client, seen = scripted(503)
    waits: list[float] = []

    assert send(client, "GET", waits).status_code == 503
    assert len(seen) == retries.ATTEMPTS
    assert len(waits) == retries.ATTEMPTS - 1


def test_it_gives_up_after_attempts_when_the_connection_keeps_failing() -> None:
    client, seen = scripted(httpx.ConnectError)

    with pytest.raises(CliError) as raised:
        send(client, "GET", [])

    assert raised.value.code == "connection_failed" and raised.value.exit_code == 1
    assert len(seen) == retries.ATTEMPTS
