"""Every failure is problem+json with a stable code; a 500 leaks nothing; docs can log in."""

from collections.abc import Iterator

import pytest
from botocore.stub import Stubber
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import aws as aws_clients
from app.main import create_app
from tests.conftest import PASSWORD, unique_email


@pytest.fixture
def cognito_stub(aws: object) -> Iterator[Stubber]:
    with Stubber(aws_clients.client("cognito-idp")) as stub:
        yield stub


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        ("TooManyRequestsException", 503, "service_unavailable"),
        ("LimitExceededException", 429, "too_many_requests"),
        ("InternalErrorException", 503, "service_unavailable"),
    ],
)
def test_cognito_failures_map_to_the_contract(
    client: TestClient, cognito_stub: Stubber, error: str, status: int, code: str
) -> None:
    cognito_stub.add_client_error("initiate_auth", service_error_code=error, http_status_code=400)
    response = client.post("/auth/login", json={"email": unique_email(), "password": PASSWORD})
    assert response.status_code == status
    assert response.json()["code"] == code
    assert int(response.headers["retry-after"]) > 0


@pytest.fixture
def exploding_client(aws: object) -> Iterator[TestClient]:
    app: FastAPI = create_app()

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_unhandled_error_is_a_500_problem_without_a_trace(exploding_client: TestClient) -> None:
    response = exploding_client.get("/boom", headers={"X-Request-ID": "trace-me-1"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "trace-me-1"
    body = response.json()
    assert body["code"] == "internal_error"
    assert "hunter2" not in response.text and "Traceback" not in response.text


def test_unknown_route_and_wrong_method_are_problems(client: TestClient) -> None:
    missing = client.get("/no/such/route")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    wrong_method = client.delete("/health")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["code"] == "method_not_allowed"


def test_malformed_json_body_is_422_problem(client: TestClient) -> None:
    response = client.post(
        "/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_docs_page_authorize_uses_the_password_flow(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    flows = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flows["password"]["tokenUrl"] == "auth/token"
    me = schema["paths"]["/users/me"]["get"]
    assert me["security"] == [{"OAuth2PasswordBearer": []}, {"BearerToken": []}]
    assert "application/problem+json" in me["responses"]["401"]["content"]
    assert client.get("/docs").status_code == 200


PUBLIC_OPERATIONS = {
    "GET /health",
    *(
        f"POST /auth/{name}"
        for name in (
            "signup",
            "confirm",
            "resend-code",
            "login",
            "login/mfa",
            "token",
            "refresh",
            "forgot-password",
            "reset-password",
        )
    ),
    "GET /links/{token}",
    "POST /links/{token}/download",
    "POST /links/{token}/unlock",
    "GET /links/{token}/items",
    "GET /requests/{token}",
    "POST /requests/{token}/uploads",
    "GET /unsubscribe/{token}",
    "POST /unsubscribe/{token}",
}


def test_every_operation_but_the_public_ones_declares_the_token(client: TestClient) -> None:
    """Authentication is a call inside the dependencies; the schema must still show it."""
    paths = client.get("/openapi.json").json()["paths"]
    operations = {
        f"{method.upper()} {path}": operation
        for path, methods in paths.items()
        for method, operation in methods.items()
    }
    assert operations.keys() >= PUBLIC_OPERATIONS
    for name, operation in operations.items():
        # Either the password form's token or a pasted one (a two-factor account's).
        expected = (
            None
            if name in PUBLIC_OPERATIONS
            else [{"OAuth2PasswordBearer": []}, {"BearerToken": []}]
        )
        assert operation.get("security") == expected, name


def test_empty_bodied_routes_declare_no_content(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, status in [("/auth/logout", "204"), ("/auth/forgot-password", "202")]:
        assert "content" not in paths[path]["post"]["responses"][status]


def test_every_operation_that_reaches_aws_declares_the_503_and_its_retry_after(
    client: TestClient,
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, methods in paths.items():
        for method, operation in methods.items():
            declared = operation["responses"].get("503")
            if path == "/health":
                assert declared is None
            else:
                assert "Retry-After" in declared["headers"], f"{method.upper()} {path}"
