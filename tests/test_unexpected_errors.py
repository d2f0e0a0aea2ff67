"""A route's unexpected error takes one path: the same problem+json 500 with X-Request-ID,
logged once with its traceback, through TestClient (uvicorn's ASGI) and the Lambda handler."""

import json
import logging
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.main import create_app
from app.stage import lambda_handler
from tests.deploy.conftest import STAGES, LambdaContext, api_event, response_headers

SECRET = "secret internals /var/task/app.py line 3"
REQUEST_ID = "trace-me-500"
EXPECTED = {
    "type": "https://sharebox.dev/problems/internal-error",
    "title": "Internal Server Error",
    "status": 500,
    "detail": "An unexpected error occurred. It has been logged.",
    "code": "internal_error",
}


class Exploded(RuntimeError):
    """What the route raises: only its own log lines are counted."""


@pytest.fixture(scope="module")
def exploding_app() -> FastAPI:
    app = create_app()

    @app.get("/boom")
    async def boom() -> None:
        raise Exploded(SECRET)

    return app


def assert_one_traceback(caplog: pytest.LogCaptureFixture) -> None:
    logged = [r for r in caplog.records if r.exc_info and isinstance(r.exc_info[1], Exploded)]
    assert len(logged) == 1, [r.getMessage() for r in logged]
    assert logged[0].getMessage() == "unhandled error"


def test_through_asgi_the_500_is_a_problem_with_the_request_id_logged_once(
    exploding_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    # raise_server_exceptions stays on: an exception escaping the app would fail the test.
    with TestClient(exploding_app) as client:
        response = client.get("/boom", headers={"X-Request-ID": REQUEST_ID})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == REQUEST_ID
    assert response.json() == EXPECTED
    assert SECRET not in response.text
    assert_one_traceback(caplog)


@pytest.mark.parametrize("stage", list(STAGES))
def test_through_lambda_the_500_is_the_same_problem_logged_once(
    stage: str, exploding_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    event = api_event(stage, "GET", "/boom", headers={"X-Request-ID": REQUEST_ID})
    response: dict[str, Any] = lambda_handler(exploding_app)(event, LambdaContext())
    assert response["statusCode"] == 500
    headers = response_headers(response)
    assert headers["content-type"] == "application/problem+json"
    assert headers["x-request-id"] == REQUEST_ID
    assert not response.get("isBase64Encoded")
    assert json.loads(response["body"]) == EXPECTED  # what the ASGI path answers
    assert SECRET not in response["body"]
    assert_one_traceback(caplog)
