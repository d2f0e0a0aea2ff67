"""`app.main.handler` answers real-shaped API Gateway events under every stage form."""

import base64
import json
import re
from typing import Any

import pytest
from fastapi import Request, Response
from starlette.types import Receive, Scope, Send

from app.main import create_app, handler
from app.stage import lambda_handler, stage_prefix
from tests.deploy.conftest import (
    STAGES,
    LambdaContext,
    api_event,
    response_headers,
    response_json,
)

ALL_STAGES = pytest.mark.parametrize("stage", list(STAGES))


def call(stage: str, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    result: dict[str, Any] = handler(api_event(stage, method, path, **kwargs), LambdaContext())
    return result


@ALL_STAGES
def test_health_answers_under_every_stage(stage: str) -> None:
    response = call(stage, "GET", "/health")
    assert response["statusCode"] == 200
    assert response_json(response) == {"status": "ok"}
    assert response_headers(response)["x-request-id"]


@ALL_STAGES
def test_routes_behind_a_stage_reach_the_app_not_a_404(stage: str) -> None:
    response = call(stage, "GET", "/users/me")
    assert response["statusCode"] == 401
    assert response_headers(response)["content-type"] == "application/problem+json"
    assert response_json(response)["code"] == "invalid_token"


@ALL_STAGES
def test_unknown_route_is_a_404_problem(stage: str) -> None:
    response = call(stage, "GET", "/no/such/route")
    assert response["statusCode"] == 404
    assert response_headers(response)["content-type"] == "application/problem+json"
    assert response_json(response)["code"] == "not_found"


@ALL_STAGES
def test_docs_page_loads_its_schema_from_inside_the_stage(stage: str) -> None:
    prefix = STAGES[stage][1]
    page = call(stage, "GET", "/docs")
    assert page["statusCode"] == 200
    assert response_headers(page)["content-type"].startswith("text/html")
    urls = re.findall(r"url: '([^']+)'", page["body"])
    assert urls == [f"{prefix}/openapi.json"]

    schema_path = urls[0].removeprefix(prefix)  # what the browser asks API Gateway for
    schema = call(stage, "GET", schema_path)
    assert schema["statusCode"] == 200
    document = response_json(schema)
    assert "/files" in document["paths"] or "/users/me" in document["paths"]
    # "Try it out" sends requests to the first server: inside the stage too.
    assert document.get("servers", [{"url": ""}])[0]["url"] == prefix


@ALL_STAGES
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_their_assets_from_inside_the_stage(stage: str, page: str) -> None:
    prefix = STAGES[stage][1]
    response = call(stage, "GET", page)
    assert response["statusCode"] == 200
    assert "content-security-policy" in response_headers(response)
    assets = re.findall(r'(?:src|href)="([^"]+)"', response["body"])
    assert assets and all(url.startswith(f"{prefix}/docs/assets/") for url in assets)
    for url in assets:  # what the browser asks API Gateway for
        asset = call(stage, "GET", url.removeprefix(prefix))
        assert asset["statusCode"] == 200, url
        assert "content-security-policy" in response_headers(asset)
        if url.endswith(".js"):
            assert response_headers(asset)["content-type"].startswith("text/javascript")
            assert not asset["isBase64Encoded"]  # text through API Gateway, not base64


@ALL_STAGES
def test_web_page_is_served_at_the_stage_root(stage: str) -> None:
    response = call(stage, "GET", "/")
    assert response["statusCode"] == 200
    assert response_headers(response)["content-type"].startswith("text/html")
    assert "<html" in response["body"].lower()
    # The page's relative asset and API URLs resolve inside the stage.
    assert f'<base href="{STAGES[stage][1]}/">' in response["body"]


def test_the_bare_stage_url_redirects_to_the_page_inside_it() -> None:
    response = call("v2-dev", "GET", "")
    assert response["statusCode"] in {307, 308}
    location = response_headers(response)["location"]
    assert location == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/dev/"


@ALL_STAGES
def test_page_assets_load_from_inside_the_stage(stage: str) -> None:
    response = call(stage, "GET", "/static/js/main.js")
    assert response["statusCode"] == 200
    assert response["isBase64Encoded"] is False
    assert "import" in response["body"]


def _app_with_test_routes() -> Any:
    app = create_app()

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals /var/task/app.py line 3")

    @app.post("/echo")
    async def echo(request: Request) -> Response:
        content_type = request.headers.get("content-type", "application/octet-stream")
        return Response(content=await request.body(), media_type=content_type)

    return lambda_handler(app)


@pytest.fixture(scope="module")
def test_handler() -> Any:
    return _app_with_test_routes()


@ALL_STAGES
def test_unhandled_error_is_a_500_problem_without_internals(stage: str, test_handler: Any) -> None:
    response = test_handler(api_event(stage, "GET", "/boom"), LambdaContext())
    assert response["statusCode"] == 500
    assert response_headers(response)["content-type"] == "application/problem+json"
    body = response_json(response)
    assert body["code"] == "internal_error"
    assert body["status"] == 500
    assert "secret internals" not in response["body"]


def test_exception_escaping_every_middleware_is_still_a_problem_not_text_plain() -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("outside the FastAPI app")

    response = lambda_handler(broken)(api_event("v2-dev", "GET", "/x"), LambdaContext())  # type: ignore[arg-type]
    assert response["statusCode"] == 500
    assert response_headers(response)["content-type"] == "application/problem+json"
    assert response_json(response)["code"] == "internal_error"


@ALL_STAGES
def test_binary_bodies_round_trip(stage: str, test_handler: Any) -> None:
    payload = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    event = api_event(
        stage,
        "POST",
        "/echo",
        headers={"Content-Type": "application/octet-stream"},
        body=payload,
        binary=True,
    )
    response = test_handler(event, LambdaContext())
    assert response["statusCode"] == 200
    assert response["isBase64Encoded"] is True
    assert base64.b64decode(response["body"]) == payload


@ALL_STAGES
def test_text_bodies_stay_text(stage: str, test_handler: Any) -> None:
    body = json.dumps({"name": "résumé.pdf"}).encode()
    event = api_event(
        stage, "POST", "/echo", headers={"Content-Type": "application/json"}, body=body
    )
    response = test_handler(event, LambdaContext())
    assert response["statusCode"] == 200
    assert response["isBase64Encoded"] is False
    assert json.loads(response["body"]) == {"name": "résumé.pdf"}


def test_a_rest_api_behind_a_custom_domain_base_path_keeps_that_path_as_root() -> None:
    event = api_event("v1-Prod", "GET", "/health")
    event["requestContext"]["domainName"] = "files.example.com"
    event["requestContext"]["path"] = "/api/health"
    assert stage_prefix(event) == "/api"


def test_an_http_api_behind_a_custom_domain_has_no_stage_in_its_urls() -> None:
    event = api_event("v2-dev", "GET", "/health")
    event["requestContext"]["domainName"] = "files.example.com"
    assert stage_prefix(event) == ""


def test_a_silent_table_is_a_503_problem_through_the_lambda_handler(tight_budget: object) -> None:
    from tests.faults import inject

    with inject("dynamodb", "hang"):
        response = call("v2-$default", "GET", "/links/" + "a" * 32)
    assert response["statusCode"] == 503
    headers = response_headers(response)
    assert headers["content-type"] == "application/problem+json"
    assert headers["retry-after"] == "7" and headers["x-request-id"]
    assert response_json(response)["code"] == "service_unavailable"
