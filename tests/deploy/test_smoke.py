"""deploy/smoke.py passes against the app and fails, saying which check, when one breaks."""

import httpx
import pytest
from fastapi.testclient import TestClient

from deploy import smoke


def test_every_smoke_check_passes_against_the_app(client: TestClient) -> None:
    results = smoke.run(client)
    assert [r.name for r in results] == list(smoke.CHECKS)
    assert [r.failure for r in results] == [None] * len(smoke.CHECKS)


def broken(status_of: dict[str, int]) -> httpx.Client:
    """A fake deployment answering every check right except the paths in `status_of`."""

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path in status_of:
            return httpx.Response(status_of[path], json={"code": "surprise"})
        if path == "/health":
            return httpx.Response(200, json={"status": "ok"})
        if path == "/auth/confirm":
            body = {"code": "invalid_code"}
            return httpx.Response(
                400, json=body, headers={"content-type": "application/problem+json"}
            )
        return httpx.Response(200, text="<html>", headers={"content-type": "text/html"})

    return httpx.Client(base_url="https://api.example/", transport=httpx.MockTransport(answer))


def test_a_deployment_that_answers_right_passes() -> None:
    assert all(result.passed for result in smoke.run(broken({})))


@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("/health", "GET /health is 200 ok"),
        ("/docs", "GET /docs is the docs page"),
        ("/auth/confirm", "POST /auth/confirm with a wrong code is 400 invalid_code"),
        ("/", "GET / is the web page"),
    ],
)
def test_a_broken_path_fails_its_own_check_only(path: str, check: str) -> None:
    results = smoke.run(broken({path: 500}))
    assert [result.name for result in results if not result.passed] == [check]


def test_a_confirm_that_accepts_a_wrong_code_fails_the_smoke_test() -> None:
    results = {r.name: r for r in smoke.run(broken({"/auth/confirm": 204}))}
    assert not results["POST /auth/confirm with a wrong code is 400 invalid_code"].passed


def test_an_unreachable_deployment_fails_every_check_without_raising() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = httpx.Client(base_url="https://down.example/", transport=httpx.MockTransport(refuse))
    assert [r.failure for r in smoke.run(client)] == ["ConnectError: refused"] * 4


def test_main_wants_one_url_and_exits_non_zero_when_a_check_fails(monkeypatch) -> None:
    assert smoke.main([]) == 2
    assert smoke.main(["not-a-url"]) == 2
    monkeypatch.setattr(smoke, "run", lambda client: [smoke.Result("x", "broken")])
    assert smoke.main(["https://api.example"]) == 1
    monkeypatch.setattr(smoke, "run", lambda client: [smoke.Result("x", None)])
    assert smoke.main(["https://api.example"]) == 0
