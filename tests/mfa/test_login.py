"""Logging in with two-factor login on: the password gives a challenge, a code gives tokens."""

from typing import Any

import pytest
from botocore.stub import Stubber
from fastapi.testclient import TestClient

from app import aws as aws_clients
from app.accounts import web_session
from tests.conftest import ApiUser
from tests.mfa.conftest import STEP, MfaUser, code, log_in, set_up, wrong_code
from tests.shares.conftest import FakeClock


def answer(client: TestClient, user: MfaUser, session: str, code: str, **headers: str) -> Any:
    return client.post("/auth/login/mfa", json=user.answer(session, code), headers=headers)


def test_the_password_alone_gives_a_challenge_and_no_tokens(
    client: TestClient, mfa_user: MfaUser
) -> None:
    body = log_in(client, mfa_user.api)
    assert set(body) == {"challenge", "session"}
    assert body["challenge"] == "totp" and body["session"]


def test_a_current_code_gives_tokens_that_work(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    session = log_in(client, mfa_user.api)["session"]
    response = answer(client, mfa_user, session, code(mfa_user.secret, clock))
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert tokens["tokenType"] == "Bearer" and tokens["refreshToken"] and tokens["idToken"]
    me = client.get("/users/me", headers={"Authorization": f"Bearer {tokens['accessToken']}"})
    assert me.status_code == 200
    assert me.json()["userId"] == mfa_user.api.user_id and me.json()["mfa"] is True


def test_a_wrong_code_is_401_invalid_code_and_the_session_still_takes_the_right_one(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    session = log_in(client, mfa_user.api)["session"]
    wrong = answer(client, mfa_user, session, wrong_code(mfa_user.secret, clock))
    assert wrong.status_code == 401
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["code"] == "invalid_code"
    assert "www-authenticate" not in wrong.headers  # not a bearer-token failure
    right = answer(client, mfa_user, session, code(mfa_user.secret, clock))
    assert right.status_code == 200, right.text


def test_a_used_session_is_401_invalid_session(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    session = log_in(client, mfa_user.api)["session"]
    assert answer(client, mfa_user, session, code(mfa_user.secret, clock)).status_code == 200
    clock.advance(STEP)  # a fresh code: only the session is reused
    again = answer(client, mfa_user, session, code(mfa_user.secret, clock))
    assert again.status_code == 401
    assert again.json()["code"] == "invalid_session"


def test_an_expired_session_is_401_session_expired(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    session = log_in(client, mfa_user.api)["session"]
    clock.advance(180)
    late = answer(client, mfa_user, session, code(mfa_user.secret, clock))
    assert late.status_code == 401
    assert late.json()["code"] == "session_expired"


def test_an_unknown_session_or_another_email_is_401_invalid_session(
    client: TestClient, mfa_user: MfaUser, make_user: Any, clock: FakeClock
) -> None:
    current = code(mfa_user.secret, clock)
    unknown = answer(client, mfa_user, "not-a-session", current)
    assert unknown.status_code == 401 and unknown.json()["code"] == "invalid_session"
    session = log_in(client, mfa_user.api)["session"]
    stranger: ApiUser = make_user("stranger")
    body = {"email": stranger.email, "session": session, "code": current}
    other = client.post("/auth/login/mfa", json=body)
    assert other.status_code == 401 and other.json()["code"] == "invalid_session"


def test_a_code_already_used_is_refused_at_log_in(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    first = log_in(client, mfa_user.api)["session"]
    used = code(mfa_user.secret, clock)
    assert answer(client, mfa_user, first, used).status_code == 200
    second = log_in(client, mfa_user.api)["session"]
    replay = answer(client, mfa_user, second, used)
    assert replay.status_code == 401
    assert replay.json()["code"] == "invalid_code"
    assert "already used" in replay.json()["detail"]
    clock.advance(STEP)
    assert answer(client, mfa_user, second, code(mfa_user.secret, clock)).status_code == 200


def test_the_web_page_gets_its_refresh_token_as_a_cookie(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    challenge = log_in(client, mfa_user.api, **{web_session.CLIENT_HEADER: "web"})
    assert web_session.COOKIE not in client.cookies  # no tokens yet, no cookie
    response = answer(
        client,
        mfa_user,
        challenge["session"],
        code(mfa_user.secret, clock),
        **{web_session.CLIENT_HEADER: "web"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["refreshToken"] is None
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{web_session.COOKIE}=")
    assert "HttpOnly" in cookie and "Path=/auth/refresh" in cookie
    assert "samesite=strict" in cookie.lower()


def test_the_password_form_refuses_an_mfa_account_with_its_own_code(
    client: TestClient, mfa_user: MfaUser, user: ApiUser
) -> None:
    form = {"username": mfa_user.api.email, "password": mfa_user.api.password}
    response = client.post("/auth/token", data=form)
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"
    assert "/auth/login/mfa" in response.json()["detail"]


def test_the_password_form_still_works_without_mfa(client: TestClient, user: ApiUser) -> None:
    response = client.post("/auth/token", data={"username": user.email, "password": user.password})
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer" and response.json()["access_token"]


def test_five_codes_in_a_window_at_log_in_then_429(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    clock.advance(300 - clock.now.timestamp() % 300)  # a fresh window (enabling spent one)
    session = log_in(client, mfa_user.api)["session"]
    wrong = wrong_code(mfa_user.secret, clock)
    for _ in range(5):
        assert answer(client, mfa_user, session, wrong).status_code == 401
    blocked = answer(client, mfa_user, session, code(mfa_user.secret, clock))
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "too_many_attempts"
    assert blocked.headers["retry-after"]


def test_a_factor_turned_on_outside_the_api_is_checked_by_cognito(
    client: TestClient, user: ApiUser, clock: FakeClock
) -> None:
    """No copy of the secret here: the code goes to Cognito (the emulator accepts any)."""
    cognito = aws_clients.client("cognito-idp")
    cognito.verify_software_token(AccessToken=user.access_token, UserCode="000000")
    cognito.set_user_mfa_preference(
        AccessToken=user.access_token,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    session = log_in(client, user)["session"]
    body = {"email": user.email, "session": session, "code": "000000"}
    assert client.post("/auth/login/mfa", json=body).status_code == 200


# Cognito's own refusals, on the app's client: what the emulator never answers.
COGNITO_REFUSALS = [
    ("CodeMismatchException", "invalid_code"),
    ("ExpiredCodeException", "invalid_code"),
    ("NotAuthorizedException", "session_expired"),
]


@pytest.mark.parametrize(("error", "expected"), COGNITO_REFUSALS)
def test_cognitos_refusal_of_the_challenge_is_a_clear_401(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock, error: str, expected: str
) -> None:
    session = log_in(client, mfa_user.api)["session"]
    with Stubber(aws_clients.client("cognito-idp")) as stub:
        stub.add_client_error("respond_to_auth_challenge", error, http_status_code=400)
        response = answer(client, mfa_user, session, code(mfa_user.secret, clock))
        stub.assert_no_pending_responses()
    assert response.status_code == 401
    assert response.json()["code"] == expected


def test_a_refusal_by_cognito_spends_the_session(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    session = log_in(client, mfa_user.api)["session"]
    with Stubber(aws_clients.client("cognito-idp")) as stub:
        stub.add_client_error("respond_to_auth_challenge", "NotAuthorizedException", 400)
        answer(client, mfa_user, session, code(mfa_user.secret, clock))
    clock.advance(STEP)
    again = answer(client, mfa_user, session, code(mfa_user.secret, clock))
    assert again.status_code == 401 and again.json()["code"] == "invalid_session"


def test_a_wrong_code_never_reaches_cognito(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    session = log_in(client, mfa_user.api)["session"]
    with Stubber(aws_clients.client("cognito-idp")):  # no answer queued: any call is a 503
        response = answer(client, mfa_user, session, wrong_code(mfa_user.secret, clock))
    assert response.status_code == 401 and response.json()["code"] == "invalid_code"


@pytest.mark.parametrize(
    ("error", "status", "expected"),
    [("CodeMismatchException", 400, "invalid_code"), ("NotAuthorizedException", 401, None)],
)
def test_cognitos_refusal_at_enable_leaves_it_off(
    client: TestClient,
    user: ApiUser,
    clock: FakeClock,
    error: str,
    status: int,
    expected: str | None,
) -> None:
    secret = set_up(client, user)["secret"]
    with Stubber(aws_clients.client("cognito-idp")) as stub:
        stub.add_client_error("verify_software_token", error, http_status_code=400)
        response = client.post(
            "/auth/mfa/enable", json={"code": code(secret, clock)}, headers=user.headers
        )
        stub.assert_no_pending_responses()
    assert response.status_code == status
    if expected:
        assert response.json()["code"] == expected
    assert client.get("/users/me", headers=user.headers).json()["mfa"] is False


def test_an_unsuccessful_verification_status_is_invalid_code(
    client: TestClient, user: ApiUser, clock: FakeClock
) -> None:
    secret = set_up(client, user)["secret"]
    with Stubber(aws_clients.client("cognito-idp")) as stub:
        stub.add_response("verify_software_token", {"Status": "ERROR"})
        response = client.post(
            "/auth/mfa/enable", json={"code": code(secret, clock)}, headers=user.headers
        )
    assert response.status_code == 400 and response.json()["code"] == "invalid_code"
