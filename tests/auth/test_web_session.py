"""The web page's refresh token: an HttpOnly cookie for the refresh route, and its CSRF rules."""

import json
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.accounts.web_session import COOKIE, MAX_AGE_SECONDS
from tests.conftest import PASSWORD, ApiUser

WEB = {"X-Sharebox-Client": "web"}
CSRF = {"X-Sharebox-CSRF": "1"}
EVENTS = Path(__file__).resolve().parents[1] / "events"


def set_cookie(response: object) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
        jar.load(header)
    return jar


def web_login(client: TestClient, user: ApiUser, **kwargs: object) -> object:
    return client.post(
        "/auth/login", json={"email": user.email, "password": PASSWORD}, headers=WEB, **kwargs
    )


def test_web_login_sets_an_httponly_strict_secure_cookie_scoped_to_refresh(
    client: TestClient, user: ApiUser
) -> None:
    response = web_login(client, user)
    assert response.status_code == 200  # type: ignore[attr-defined]
    morsel = set_cookie(response)[COOKIE]
    assert morsel.value
    assert morsel["httponly"] is True and morsel["secure"] is True
    assert morsel["samesite"] == "strict"
    assert morsel["path"] == "/auth/refresh"
    assert morsel["max-age"] == str(MAX_AGE_SECONDS)


def test_web_login_body_has_no_refresh_token(client: TestClient, user: ApiUser) -> None:
    body = web_login(client, user).json()  # type: ignore[attr-defined]
    assert body["refreshToken"] is None
    assert body["accessToken"] and body["idToken"] and body["tokenType"] == "Bearer"


def test_behind_a_stage_the_cookie_path_carries_the_stage_prefix(
    client: TestClient, user: ApiUser
) -> None:
    staged = TestClient(client.app, root_path="/dev")
    response = staged.post(
        "/dev/auth/login", json={"email": user.email, "password": PASSWORD}, headers=WEB
    )
    assert response.status_code == 200
    assert set_cookie(response)[COOKIE]["path"] == "/dev/auth/refresh"


def test_api_clients_keep_the_v1_login_body_and_get_no_cookie(
    client: TestClient, user: ApiUser
) -> None:
    response = client.post("/auth/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert set(response.json()) == {
        "accessToken",
        "idToken",
        "refreshToken",
        "expiresIn",
        "tokenType",
    }
    assert isinstance(response.json()["refreshToken"], str) and response.json()["refreshToken"]
    assert "set-cookie" not in response.headers


def test_unknown_client_kind_is_422(client: TestClient, user: ApiUser) -> None:
    response = client.post(
        "/auth/login",
        json={"email": user.email, "password": PASSWORD},
        headers={"X-Sharebox-Client": "mobile"},
    )
    assert response.status_code == 422


def cookie_of(client: TestClient, user: ApiUser) -> dict[str, str]:
    return {COOKIE: set_cookie(web_login(client, user))[COOKIE].value}


def test_cookie_refresh_with_the_csrf_header_gives_a_working_access_token(
    client: TestClient, user: ApiUser
) -> None:
    client.cookies.update(cookie_of(client, user))
    response = client.post("/auth/refresh", headers=CSRF)
    assert response.status_code == 200
    token = response.json()["accessToken"]
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["userId"] == user.user_id


def test_cookie_refresh_without_the_csrf_header_is_403(client: TestClient, user: ApiUser) -> None:
    client.cookies.update(cookie_of(client, user))
    response = client.post("/auth/refresh")
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "csrf_required"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
)
def test_cookie_refresh_from_another_site_is_403_even_with_the_header(
    client: TestClient, user: ApiUser, headers: dict[str, str]
) -> None:
    client.cookies.update(cookie_of(client, user))
    response = client.post("/auth/refresh", headers={**CSRF, **headers})
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_required"


def test_cookie_refresh_from_the_pages_own_origin_works(client: TestClient, user: ApiUser) -> None:
    client.cookies.update(cookie_of(client, user))
    own = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/auth/refresh", headers={**CSRF, **own}).status_code == 200


def test_a_refused_cookie_is_401_and_cleared(client: TestClient) -> None:
    client.cookies.set(COOKIE, "not-a-token")
    response = client.post("/auth/refresh", headers=CSRF)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    morsel = set_cookie(response)[COOKIE]
    assert morsel.value == "" and morsel["max-age"] == "0"
    assert morsel["path"] == "/auth/refresh"


def test_refresh_without_body_or_cookie_is_401(client: TestClient) -> None:
    response = client.post("/auth/refresh", headers=CSRF)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_v1_body_refresh_ignores_the_cookie_and_needs_no_header(
    client: TestClient, user: ApiUser
) -> None:
    client.cookies.set(COOKIE, "not-a-token")
    response = client.post("/auth/refresh", json={"refreshToken": user.refresh_token})
    assert response.status_code == 200
    assert "set-cookie" not in response.headers


def test_logout_expires_the_cookie_and_its_token_stops_working(
    client: TestClient, user: ApiUser
) -> None:
    cookie = cookie_of(client, user)
    response = client.post("/auth/logout", headers=user.headers)
    assert response.status_code == 204
    morsel = set_cookie(response)[COOKIE]
    assert morsel.value == "" and morsel["max-age"] == "0"
    assert morsel["path"] == "/auth/refresh"
    client.cookies.update(cookie)  # a browser that kept it anyway
    assert client.post("/auth/refresh", headers=CSRF).status_code == 401


def test_the_docs_describe_both_web_headers(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    login = {p["name"] for p in paths["/auth/login"]["post"]["parameters"]}
    refresh = {p["name"] for p in paths["/auth/refresh"]["post"]["parameters"]}
    assert "X-Sharebox-Client" in login and "X-Sharebox-CSRF" in refresh


def staged_refresh(headers: dict[str, str]) -> dict[str, Any]:
    """POST /dev/auth/refresh as API Gateway's HTTP API hands it to the Lambda (cookies apart)."""
    event = json.loads((EVENTS / "apigw-http-v2-dev-stage.json").read_text())
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/dev/auth/refresh"
    event["requestContext"]["http"]["method"] = "POST"
    event["headers"] = {**event["headers"], "x-forwarded-proto": "https", **headers}
    event["cookies"] = [f"{COOKIE}=not-a-token"]
    return event


def test_on_lambda_the_pages_own_origin_passes_and_the_cleared_cookie_keeps_the_stage(
    aws: object,
) -> None:
    from app.main import handler
    from tests.test_main import LambdaContext

    own = {"origin": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"}
    refused = handler(staged_refresh({**own, "x-sharebox-csrf": "1"}), LambdaContext())
    assert refused["statusCode"] == 401  # past the CSRF check: the cookie itself was refused
    (cleared,) = refused["cookies"]
    assert cleared.startswith(f'{COOKIE}=""') and "Path=/dev/auth/refresh" in cleared
    assert handler(staged_refresh(own), LambdaContext())["statusCode"] == 403
