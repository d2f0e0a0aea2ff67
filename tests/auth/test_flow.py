"""The whole account lifecycle through the API, against Cognito in moto."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, ApiUser, reload_settings, unique_email


def test_signup_login_and_me(client: TestClient) -> None:
    email = unique_email()
    signup = client.post("/auth/signup", json={"email": email, "password": PASSWORD, "name": "A"})
    assert signup.status_code == 201
    assert signup.json()["email"] == email and signup.json()["confirmed"] is True
    login = client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200
    body = login.json()
    assert body["tokenType"] == "Bearer" and body["expiresIn"] > 0
    me = client.get("/users/me", headers={"Authorization": f"Bearer {body['accessToken']}"})
    assert me.status_code == 200
    assert me.json()["userId"] == signup.json()["userId"]
    assert me.json()["email"] == email
    assert me.json()["usage"] == {"files": 0, "bytes": 0}
    assert me.json()["quota"]["bytes"] > 0
    assert me.json()["mfa"] is False  # two-factor login is off until the user turns it on


@pytest.mark.parametrize("password", ["short1A", "alllowercase1", "NoDigitsHere", "x"])
def test_weak_password_is_invalid_password(client: TestClient, password: str) -> None:
    response = client.post("/auth/signup", json={"email": unique_email(), "password": password})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_password"
    assert "8 characters" in response.json()["detail"]


def test_duplicate_email_is_409(client: TestClient, user: ApiUser) -> None:
    response = client.post("/auth/signup", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


def test_unknown_email_and_wrong_password_look_the_same(client: TestClient, user: ApiUser) -> None:
    wrong = client.post("/auth/login", json={"email": user.email, "password": "Wrong-pass-1"})
    unknown = client.post("/auth/login", json={"email": unique_email(), "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "invalid_credentials"


@pytest.fixture
def confirmation_required(monkeypatch: pytest.MonkeyPatch):
    """Deployed behaviour: sign-ups wait for the emailed code."""
    monkeypatch.setenv("LOCAL_MODE", "false")
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()


def test_unconfirmed_user_cannot_log_in_until_confirmed(
    client: TestClient, confirmation_required: None
) -> None:
    email = unique_email()
    signup = client.post("/auth/signup", json={"email": email, "password": PASSWORD})
    assert signup.status_code == 201 and signup.json()["confirmed"] is False
    login = client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 403
    assert login.json()["code"] == "user_not_confirmed"
    assert client.post("/auth/confirm", json={"email": email, "code": "123456"}).status_code == 204
    assert (
        client.post("/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
    )


def test_confirm_with_unknown_email_is_invalid_code(client: TestClient) -> None:
    response = client.post("/auth/confirm", json={"email": unique_email(), "code": "123456"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"


def test_resend_code_answers_202_for_anyone(client: TestClient) -> None:
    response = client.post("/auth/resend-code", json={"email": unique_email()})
    assert response.status_code == 202 and response.content == b""


def test_refresh_gives_a_working_access_token(client: TestClient, user: ApiUser) -> None:
    response = client.post("/auth/refresh", json={"refreshToken": user.refresh_token})
    assert response.status_code == 200
    token = response.json()["accessToken"]
    me = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


def test_refresh_with_garbage_is_401(client: TestClient) -> None:
    response = client.post("/auth/refresh", json={"refreshToken": "not-a-token"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_forgot_password_answers_202_for_unknown_emails(client: TestClient) -> None:
    response = client.post("/auth/forgot-password", json={"email": unique_email()})
    assert response.status_code == 202 and response.content == b""


def test_reset_password_then_log_in_with_the_new_one(client: TestClient, user: ApiUser) -> None:
    assert client.post("/auth/forgot-password", json={"email": user.email}).status_code == 202
    new_password = "Brand-new-pass-2"
    reset = client.post(
        "/auth/reset-password",
        json={"email": user.email, "code": "123456", "newPassword": new_password},
    )
    assert reset.status_code == 204
    login = client.post("/auth/login", json={"email": user.email, "password": new_password})
    assert login.status_code == 200


def test_reset_password_for_unknown_email_is_invalid_code(client: TestClient) -> None:
    response = client.post(
        "/auth/reset-password",
        json={"email": unique_email(), "code": "123456", "newPassword": "Brand-new-pass-2"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"


def test_oauth2_token_form_logs_in_for_the_docs_page(client: TestClient, user: ApiUser) -> None:
    response = client.post("/auth/token", data={"username": user.email, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"]
    me = client.get("/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200


def test_logout_refuses_old_access_token_and_refresh_token(
    client: TestClient, user: ApiUser
) -> None:
    assert client.post("/auth/logout", headers=user.headers).status_code == 204
    me = client.get("/users/me", headers=user.headers)
    assert me.status_code == 401
    assert me.headers["www-authenticate"] == "Bearer"
    refresh = client.post("/auth/refresh", json={"refreshToken": user.refresh_token})
    assert refresh.status_code == 401
    # A fresh log-in right after (same second) works.
    login = client.post("/auth/login", json={"email": user.email, "password": PASSWORD})
    assert login.status_code == 200
    token = login.json()["accessToken"]
    assert client.get("/users/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "Ann\nBcc: x", "Ann\u202egpj.exe"])
def test_a_sign_up_name_others_will_see_is_checked_like_a_changed_one(
    client: TestClient, name: str
) -> None:
    """The name is shown on the public page of the user's upload requests and in emails."""
    email = unique_email()
    body = {"email": email, "password": PASSWORD, "name": name}

    response = client.post("/auth/signup", json=body)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    login = client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 401  # nothing was created
