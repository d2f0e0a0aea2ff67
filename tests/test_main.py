"""The API Lambda entry point answers real-shaped API Gateway events."""

import json
from typing import Any

import pytest

from app.main import handler


class LambdaContext:
    function_name = "sharebox-api"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:sharebox-api"
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e812345678"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


def http_api_v2(path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": "abc123.execute-api.us-east-1.amazonaws.com", **(headers or {})},
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {
                "method": "GET",
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "curl/8",
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": "$default",
            "stage": "$default",
            "time": "22/Nov/2026:12:00:00 +0000",
            "timeEpoch": 1795348800000,
        },
        "isBase64Encoded": False,
    }


def rest_v1(path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    all_headers = {"Host": "abc123.execute-api.us-east-1.amazonaws.com", **(headers or {})}
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "GET",
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "httpMethod": "GET",
            "identity": {"sourceIp": "203.0.113.7"},
            "path": f"/Prod{path}",
            "protocol": "HTTP/1.1",
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e812345678",
            "resourcePath": "/{proxy+}",
            "stage": "Prod",
        },
        "body": None,
        "isBase64Encoded": False,
    }


@pytest.mark.parametrize("make_event", [http_api_v2, rest_v1])
def test_health_answers_through_the_lambda_handler(make_event: Any) -> None:
    response = handler(make_event("/health"), LambdaContext())
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok"}
    headers = {k.lower(): v for k, v in response["headers"].items()}
    assert headers["x-request-id"]


@pytest.mark.parametrize("make_event", [http_api_v2, rest_v1])
def test_protected_route_without_token_is_401_problem(make_event: Any) -> None:
    response = handler(make_event("/users/me"), LambdaContext())
    assert response["statusCode"] == 401
    headers = {k.lower(): v for k, v in response["headers"].items()}
    assert headers["content-type"] == "application/problem+json"
    assert headers["www-authenticate"] == "Bearer"
    assert json.loads(response["body"])["code"] == "invalid_token"


def test_sane_request_id_is_echoed_and_junk_is_replaced() -> None:
    sane = handler(http_api_v2("/health", {"x-request-id": "abc-123"}), LambdaContext())
    assert sane["headers"]["x-request-id"] == "abc-123"
    junk = handler(http_api_v2("/health", {"x-request-id": "<script>"}), LambdaContext())
    assert junk["headers"]["x-request-id"] != "<script>"


def test_the_app_answers_cors_only_for_the_origins_it_is_given(
    aws: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import get_settings

    preflight = {"Origin": "http://localhost:8000", "Access-Control-Request-Method": "GET"}
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    get_settings.cache_clear()
    behind_the_gateway = TestClient(create_app()).options("/files", headers=preflight)
    assert "access-control-allow-origin" not in behind_the_gateway.headers
    monkeypatch.setenv("CORS_ORIGINS", '["http://localhost:8000"]')
    get_settings.cache_clear()
    try:
        local = TestClient(create_app()).options("/files", headers=preflight)
    finally:
        get_settings.cache_clear()
    assert local.status_code == 200
    assert local.headers["access-control-allow-origin"] == "http://localhost:8000"


def test_local_cors_lets_the_page_send_its_cookie_and_csrf_header(
    aws: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import get_settings

    monkeypatch.setenv("CORS_ORIGINS", '["http://localhost:8000"]')
    get_settings.cache_clear()
    try:
        response = TestClient(create_app()).options(
            "/auth/refresh",
            headers={
                "Origin": "http://localhost:8000",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-sharebox-csrf",
            },
        )
    finally:
        get_settings.cache_clear()
    assert response.status_code == 200
    assert response.headers["access-control-allow-credentials"] == "true"
    assert "x-sharebox-csrf" in response.headers["access-control-allow-headers"].lower()
