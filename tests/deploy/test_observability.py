"""On Lambda: JSON log lines with request, user and file ids, EMF metrics; locally: nothing."""

import io
import json
import logging
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

import pytest
from fastapi import FastAPI

from app import observability
from app.stage import lambda_handler
from tests.conftest import ApiUser
from tests.deploy.boto_calls import ROOT
from tests.deploy.conftest import LambdaContext, api_event, json_lines, response_headers


@pytest.fixture
def api(app: FastAPI) -> Any:
    return lambda_handler(app)


def test_every_log_line_of_a_request_is_json_with_request_user_and_file_ids(
    on_lambda: io.StringIO, api: Any, make_user: Callable[..., ApiUser]
) -> None:
    user = make_user("logs")
    file_id = uuid.uuid4().hex
    event = api_event("v2-dev", "GET", f"/files/{file_id}", headers=user.headers)

    response = api(event, LambdaContext())

    assert response["statusCode"] == 404
    request_id = response_headers(response)["x-request-id"]
    lines = json_lines(on_lambda)
    access = [line for line in lines if line["message"] == "request"]
    assert len(access) == 1
    line = access[0]
    assert line["level"] == "INFO"
    assert line["service"] == "sharebox"
    assert line["request_id"] == request_id
    assert line["user_id"] == user.user_id
    assert line["file_id"] == file_id
    assert line["correlation_id"] == event["requestContext"]["requestId"]
    assert line["function_request_id"] == LambdaContext().aws_request_id
    assert line["status"] == 404
    assert line["path"] == f"/dev/files/{file_id}"


def test_a_line_has_the_lambda_keys_powertools_own_decorator_would_give_it(
    on_lambda: io.StringIO, api: Any
) -> None:
    """Ours are handed over by hand (README "Performance"): a Powertools release that changes
    what `inject_lambda_context` adds must show here."""
    from aws_lambda_powertools.logging.lambda_context import build_lambda_context_model

    api(api_event("v2-dev", "GET", "/no/such/page"), LambdaContext())
    line = json_lines(on_lambda)[-1]
    expected = build_lambda_context_model(LambdaContext()).__dict__
    assert {key: line.get(key) for key in expected} == expected
    assert "cold_start" in line


def test_keys_of_one_invocation_do_not_leak_into_the_next(
    on_lambda: io.StringIO, api: Any, make_user: Callable[..., ApiUser]
) -> None:
    user = make_user("logs")
    api(
        api_event("v2-dev", "GET", f"/files/{uuid.uuid4().hex}", headers=user.headers),
        LambdaContext(),
    )
    api(api_event("v2-dev", "GET", "/no/such/page"), LambdaContext())

    last = json_lines(on_lambda)[-1]
    assert last["message"] == "request" and last["path"] == "/dev/no/such/page"
    assert "user_id" not in last
    assert "file_id" not in last


def test_an_auth_failure_is_an_emf_metric_in_the_sharebox_namespace(
    on_lambda: io.StringIO, api: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    response = api(api_event("v1-Prod", "GET", "/users/me"), LambdaContext())

    assert response["statusCode"] == 401
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "_aws" in line]
    assert len(blobs) == 1
    directive = blobs[0]["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "Sharebox"
    assert [m["Name"] for m in directive["Metrics"]] == [observability.AUTH_FAILURES]
    assert blobs[0][observability.AUTH_FAILURES] == [1.0]
    assert blobs[0]["service"] == "sharebox"


def test_an_invocation_that_records_no_metric_prints_no_emf_and_no_warning(
    on_lambda: io.StringIO, api: Any, capsys: pytest.CaptureFixture[str], recwarn: Any
) -> None:
    response = api(api_event("v2-dev", "GET", "/health"), LambdaContext())

    assert response["statusCode"] == 200
    assert "_aws" not in capsys.readouterr().out
    assert [str(warning.message) for warning in recwarn] == []


def test_off_lambda_a_metric_prints_no_emf(capsys: pytest.CaptureFixture[str]) -> None:
    observability.metric(observability.UPLOADS)
    observability.append_keys(user_id="someone")
    assert "_aws" not in capsys.readouterr().out


def _run(environment: dict[str, str], *paths: str) -> tuple[list[set[str]], list[str]]:
    """A fresh process's `app.main.handler` answering GET `paths` in turn: the top-level
    modules it holds after each, and every other line it printed (the JSON logs)."""
    script = (
        "import json, sys\n"
        "from tests.deploy.conftest import LambdaContext, api_event\n"
        "import app.main\n"
        "for path in sys.argv[1:]:\n"
        "    app.main.handler(api_event('v2-$default', 'GET', path), LambdaContext())\n"
        "    print('MODULES', json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *paths],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "AWS_REGION": "eu-west-1", **environment},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    lines = result.stdout.splitlines()
    modules = [
        set(json.loads(line[len("MODULES ") :])) for line in lines if line.startswith("MODULES ")
    ]
    return modules, [line for line in lines if not line.startswith("MODULES ")]


def _imports_after_health(environment: dict[str, str]) -> set[str]:
    """The top-level modules a fresh process holds after `import app.main` + one /health."""
    (modules,), _ = _run(environment, "/health")
    return modules


def test_locally_the_api_imports_no_powertools_pillow_or_emulator() -> None:
    modules = _imports_after_health({})
    assert not modules & {"aws_lambda_powertools", "aws_xray_sdk", "PIL", "moto"}
    assert "app" in modules


def test_on_lambda_powertools_comes_with_the_first_invocation_and_only_it_is_cold() -> None:
    (imported, _), output = _run(
        {"AWS_LAMBDA_FUNCTION_NAME": "sharebox-api"}, "/nowhere", "/nowhere"
    )

    assert "aws_lambda_powertools" in imported
    assert not imported & {"aws_xray_sdk", "PIL", "moto", "uvicorn"}
    first, second = [json.loads(text) for text in output]
    for line in (first, second):
        assert (line["message"], line["status"], line["path"]) == ("request", 404, "/nowhere")
        assert line["function_request_id"] == LambdaContext().aws_request_id
        assert line["request_id"] == LambdaContext().aws_request_id
    assert (first["cold_start"], second["cold_start"]) == (True, False)


def test_a_cold_invocation_that_logs_nothing_leaves_the_next_line_warm() -> None:
    _, output = _run({"AWS_LAMBDA_FUNCTION_NAME": "sharebox-api"}, "/health", "/nowhere")

    (line,) = [json.loads(text) for text in output]
    assert (line["path"], line["cold_start"]) == ("/nowhere", False)


def test_with_trace_aws_calls_the_api_answers_under_the_xray_tracer() -> None:
    modules = _imports_after_health(
        {
            "AWS_LAMBDA_FUNCTION_NAME": "sharebox-api",
            "TRACE_AWS_CALLS": "true",
            "LAMBDA_TASK_ROOT": "/var/task",
            "_X_AMZN_TRACE_ID": (
                "Root=1-673fa1b2-3c4d5e6f7a8b9c0d1e2f3a4b;Parent=53995c3f42cd8ad8;Sampled=1"
            ),
            "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:9",  # discard: nothing listens there
        }
    )
    assert {"aws_lambda_powertools", "aws_xray_sdk"} <= modules


def test_successful_requests_are_logged_only_at_debug(on_lambda: io.StringIO, api: Any) -> None:
    api(api_event("v2-dev", "GET", "/health"), LambdaContext())
    assert json_lines(on_lambda) == []

    logging.getLogger(observability.SERVICE).setLevel(logging.DEBUG)
    api(api_event("v2-dev", "GET", "/health"), LambdaContext())
    (line,) = [line for line in json_lines(on_lambda) if line["message"] == "request"]
    assert (line["level"], line["status"], line["path"]) == ("DEBUG", 200, "/dev/health")


def test_share_link_tokens_never_reach_the_logs(on_lambda: io.StringIO, api: Any) -> None:
    token = "Zt4kLq9xV2mR8sWbYc1pNd7e"
    logging.getLogger(observability.SERVICE).setLevel(logging.DEBUG)  # the page's 200 too
    api(api_event("v2-dev", "GET", f"/links/{token}"), LambdaContext())
    api(api_event("v1-Prod", "GET", f"/s/{token}"), LambdaContext())

    assert token not in on_lambda.getvalue()
    paths = [line["path"] for line in json_lines(on_lambda) if line["message"] == "request"]
    assert paths == ["/dev/links/***", "/s/***"]


@pytest.mark.parametrize(
    ("method", "path", "logged"),
    [
        ("POST", "/links/{token}/download", "/links/***/download"),
        ("DELETE", "/files/f-1/links/{token}", "/files/f-1/links/***"),
        ("DELETE", "/folders/d-1/links/{token}", "/folders/d-1/links/***"),
        ("GET", "/links/{token}/items", "/links/***/items"),
        ("GET", "/LINKS/{token}", "/LINKS/***"),
        ("GET", "/%6Cinks/{token}", "/links/***"),
        ("GET", "/s%2F{token}", "/s/***"),
        ("GET", "/requests/{token}", "/requests/***"),
        ("POST", "/Requests/{token}/uploads", "/Requests/***/uploads"),
        ("DELETE", "/folders/d-1/requests/{token}", "/folders/d-1/requests/***"),
        ("GET", "/r/{token}", "/r/***"),
    ],
)
def test_every_form_of_a_link_path_is_logged_without_its_token(
    on_lambda: io.StringIO, api: Any, method: str, path: str, logged: str
) -> None:
    token = "Zt4kLq9xV2mR8sWbYc1pNd7e"
    logging.getLogger(observability.SERVICE).setLevel(logging.DEBUG)
    api(api_event("v2-$default", method, path.format(token=token)), LambdaContext())

    assert token not in on_lambda.getvalue()
    paths = [line["path"] for line in json_lines(on_lambda) if line["message"] == "request"]
    assert paths == [logged]


def test_a_line_carries_the_keys_known_when_it_is_logged(
    on_lambda: io.StringIO,
) -> None:
    log = logging.getLogger("sharebox.test")

    def handle(event: dict[str, Any], context: Any) -> None:
        log.warning("before")
        observability.append_keys(user_id="u-1", file_id=None)
        log.warning("after")

    entry = observability.lambda_entry(handle, correlation_path="requestContext.requestId")
    entry({"requestContext": {"requestId": "first"}}, LambdaContext())
    entry({"requestContext": {"requestId": "second"}}, LambdaContext())

    first, second, third, fourth = json_lines(on_lambda)
    assert [line["message"] for line in (first, second)] == ["before", "after"]
    assert "user_id" not in first and second["user_id"] == "u-1"
    assert "file_id" not in second
    assert {line["correlation_id"] for line in (first, second)} == {"first"}
    assert {line["correlation_id"] for line in (third, fourth)} == {"second"}
    assert "user_id" not in third and fourth["user_id"] == "u-1"
    lines = (first, second, third, fourth)
    assert {line["function_request_id"] for line in lines} == {LambdaContext().aws_request_id}


def test_an_invocation_that_logs_nothing_never_touches_the_loggers_keys(
    on_lambda: io.StringIO, api: Any, make_user: Callable[..., ApiUser]
) -> None:
    user = make_user("quiet")
    logger = observability.lambda_logger()
    with (
        patch.object(logger, "append_keys", wraps=logger.append_keys) as appended,
        patch.object(logger, "clear_state", wraps=logger.clear_state) as cleared,
        patch.object(logger, "set_correlation_id", wraps=logger.set_correlation_id) as set_id,
    ):
        response = api(
            api_event("v2-dev", "GET", "/users/me", headers=user.headers), LambdaContext()
        )
        assert response["statusCode"] == 200
        assert (appended.call_count, cleared.call_count, set_id.call_count) == (0, 0, 0)

        api(api_event("v2-dev", "GET", "/no/such/page"), LambdaContext())
        assert (cleared.call_count, set_id.call_count) == (1, 1)
    assert [line["path"] for line in json_lines(on_lambda)] == ["/dev/no/such/page"]


def _context(request_id: str) -> LambdaContext:
    return LambdaContext(aws_request_id=request_id)


def test_a_line_has_the_context_and_correlation_id_and_later_keys_reach_later_lines(
    on_lambda: io.StringIO,
) -> None:
    log = logging.getLogger("sharebox.test")

    def handle(event: dict[str, Any], context: Any) -> None:
        observability.append_keys(request_id="r-1")
        log.warning("first")
        observability.append_keys(user_id="u-1")
        observability.append_keys(file_id="f-1")
        log.warning("second")
        log.warning("third")

    entry = observability.lambda_entry(handle, correlation_path="requestContext.requestId")
    entry({"requestContext": {"requestId": "apigw-1"}}, _context("lambda-1"))

    first, second, third = json_lines(on_lambda)
    context = LambdaContext()
    for line in (first, second, third):
        assert line["function_name"] == context.function_name
        assert line["function_memory_size"] == context.memory_limit_in_mb
        assert line["function_arn"] == context.invoked_function_arn
        assert line["function_request_id"] == "lambda-1"
        assert isinstance(line["cold_start"], bool)
        assert (line["correlation_id"], line["request_id"]) == ("apigw-1", "r-1")
    assert "user_id" not in first and "file_id" not in first
    assert (second["user_id"], second["file_id"]) == ("u-1", "f-1")
    assert (third["user_id"], third["file_id"]) == ("u-1", "f-1")


def test_nothing_of_an_invocation_reaches_the_next_whether_or_not_it_logged(
    on_lambda: io.StringIO,
) -> None:
    log = logging.getLogger("sharebox.test")

    def handle(event: dict[str, Any], context: Any) -> None:
        observability.append_keys(**event["keys"])
        if event["log"]:
            log.warning("line")

    entry = observability.lambda_entry(handle, correlation_path="requestContext.requestId")
    entry(
        {"requestContext": {"requestId": "a"}, "keys": {"user_id": "u-a"}, "log": True},
        _context("1"),
    )
    entry(
        {"requestContext": {"requestId": "b"}, "keys": {"file_id": "f-b"}, "log": False},
        _context("2"),
    )
    entry({"requestContext": {}, "keys": {"request_id": "r-c"}, "log": True}, _context("3"))

    first, third = json_lines(on_lambda)
    assert (first["correlation_id"], first["user_id"], first["function_request_id"]) == (
        "a",
        "u-a",
        "1",
    )
    assert third["function_request_id"] == "3" and third["request_id"] == "r-c"
    assert not {"correlation_id", "user_id", "file_id"} & third.keys()
    assert third["cold_start"] is False


def test_a_worker_line_has_no_correlation_id(on_lambda: io.StringIO) -> None:
    log = logging.getLogger("sharebox.test")
    api_entry = observability.lambda_entry(
        lambda event, context: log.warning("api"), correlation_path="requestContext.requestId"
    )
    worker_entry = observability.lambda_entry(lambda event, context: log.warning("worker"))
    api_entry({"requestContext": {"requestId": "apigw-1"}}, LambdaContext())
    worker_entry({"Records": []}, LambdaContext())

    api_line, worker_line = json_lines(on_lambda)
    assert api_line["correlation_id"] == "apigw-1"
    assert "correlation_id" not in worker_line
