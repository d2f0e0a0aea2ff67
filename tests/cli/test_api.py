"""Api on httpx.MockTransport: tokens refreshed before they expire and once on a refused one,
"not logged in" when that fails, problem+json as CliErrors."""

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.cli.api import Api
from app.cli.errors import AuthError, CliError, NotFound

URL = "https://sharebox.test"
PROBLEM = {"Content-Type": "application/problem+json"}
REFUSED = {**PROBLEM, "WWW-Authenticate": 'Bearer error="invalid_token"'}


class MemoryStore:
    where = "memory"

    def __init__(self, tokens: dict[str, Any] | None = None) -> None:
        self.saved: dict[str, dict[str, Any]] = {URL: tokens} if tokens else {}

    def load(self, url: str) -> dict[str, Any] | None:
        return self.saved.get(url)

    def save(self, url: str, tokens: dict[str, Any]) -> None:
        self.saved[url] = tokens

    def delete(self, url: str) -> bool:
        return self.saved.pop(url, None) is not None


def tokens(access: str = "old", expires_in: float = 3600) -> dict[str, Any]:
    return {
        "email": "a@example.com",
        "accessToken": access,
        "refreshToken": "refresh-1",
        "expiresAt": time.time() + expires_in,
    }


def problem(status: int, code: str, headers: dict[str, str] = PROBLEM) -> httpx.Response:
    body = {
        "type": "about:blank",
        "title": "t",
        "status": status,
        "detail": f"{code}!",
        "code": code,
    }
    return httpx.Response(status, headers=headers, content=json.dumps(body))


class Server:
    """Answers /auth/refresh with `refresh`, everything else with `route(access token)`."""

    def __init__(
        self,
        route: Callable[[str], httpx.Response],
        refresh: httpx.Response | None = None,
    ) -> None:
        self.route = route
        self.refresh = refresh or httpx.Response(
            200, json={"accessToken": "new", "expiresIn": 3600}
        )
        self.calls: list[tuple[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        self.calls.append((request.url.path, token))
        if request.url.path == "/auth/refresh":
            assert json.loads(request.content) == {"refreshToken": "refresh-1"}
            return self.refresh
        return self.route(token)


def api_of(server: Server, store: MemoryStore) -> Api:
    return Api(URL, store, httpx.Client(transport=httpx.MockTransport(server)))


def ok_for_new(token: str) -> httpx.Response:
    return (
        httpx.Response(200, json={"ok": True})
        if token == "new"
        else problem(401, "invalid_token", REFUSED)
    )


def test_a_live_token_is_sent_as_is() -> None:
    server = Server(lambda token: httpx.Response(200, json={"token": token}))

    assert api_of(server, MemoryStore(tokens())).get("/users/me") == {"token": "old"}
    assert server.calls == [("/users/me", "old")]


def test_a_token_about_to_expire_is_refreshed_first_and_kept() -> None:
    store = MemoryStore(tokens(expires_in=10))
    server = Server(ok_for_new)

    assert api_of(server, store).get("/users/me") == {"ok": True}

    assert server.calls == [("/auth/refresh", ""), ("/users/me", "new")]
    assert store.saved[URL]["accessToken"] == "new"
    assert store.saved[URL]["refreshToken"] == "refresh-1"
    assert store.saved[URL]["expiresAt"] > time.time() + 3000


def test_a_refused_token_is_refreshed_once_and_the_call_made_again() -> None:
    server = Server(ok_for_new)

    assert api_of(server, MemoryStore(tokens())).call("DELETE", "/files/x") == {"ok": True}
    assert server.calls == [("/files/x", "old"), ("/auth/refresh", ""), ("/files/x", "new")]


def test_a_token_refused_twice_is_refreshed_only_once() -> None:
    server = Server(lambda token: problem(401, "invalid_token", REFUSED))

    with pytest.raises(AuthError) as raised:
        api_of(server, MemoryStore(tokens())).get("/users/me")

    assert raised.value.exit_code == 4 and raised.value.code == "invalid_token"
    assert [path for path, _ in server.calls] == ["/users/me", "/auth/refresh", "/users/me"]


def test_a_401_without_bearer_challenge_is_not_a_reason_to_refresh() -> None:
    server = Server(lambda token: problem(401, "invalid_password"))

    with pytest.raises(AuthError):
        api_of(server, MemoryStore(tokens())).call("POST", "/links/t/download")
    assert [path for path, _ in server.calls] == ["/links/t/download"]


@pytest.mark.parametrize("expires_in", [10, 3600])
def test_a_failed_refresh_means_not_logged_in(expires_in: int) -> None:
    server = Server(
        lambda token: problem(401, "invalid_token", REFUSED), refresh=problem(401, "invalid_token")
    )

    with pytest.raises(AuthError) as raised:
        api_of(server, MemoryStore(tokens(expires_in=expires_in))).get("/users/me")

    assert raised.value.code == "session_expired" and raised.value.exit_code == 4
    assert "sharebox login" in raised.value.detail


def test_no_stored_tokens_is_not_logged_in_and_calls_nothing() -> None:
    server = Server(lambda token: httpx.Response(200, json={}))

    with pytest.raises(AuthError) as raised:
        api_of(server, MemoryStore()).get("/users/me")

    assert (raised.value.code, raised.value.exit_code) == ("not_logged_in", 4)
    assert server.calls == []


@pytest.mark.parametrize(
    ("status", "code", "kind", "exit_code"),
    [
        (404, "file_not_found", NotFound, 3),
        (409, "upload_missing", CliError, 1),
        (403, "quota_exceeded", CliError, 1),
    ],
)
def test_a_problem_becomes_a_cli_error_with_its_code_detail_and_exit_code(
    status: int, code: str, kind: type[CliError], exit_code: int
) -> None:
    server = Server(lambda token: problem(status, code))

    with pytest.raises(kind) as raised:
        api_of(server, MemoryStore(tokens())).call("POST", "/files/x/complete")

    error = raised.value
    assert (error.code, error.detail, error.status, error.exit_code) == (
        code,
        f"{code}!",
        status,
        exit_code,
    )
    assert error.as_json() == {"error": {"code": code, "detail": f"{code}!", "status": status}}


def test_an_answer_that_is_no_problem_document_still_says_what_failed() -> None:
    server = Server(lambda token: httpx.Response(502, text="<html>bad gateway</html>"))

    with pytest.raises(CliError) as raised:
        api_of(server, MemoryStore(tokens())).call("POST", "/files/x/complete")

    assert raised.value.code == "http_502"
    assert raised.value.detail == "POST /files/x/complete: HTTP 502"
