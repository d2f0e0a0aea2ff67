"""Turning two-factor login on and off through the API, with real TOTP codes."""

from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest
from botocore.stub import Stubber
from fastapi.testclient import TestClient

from app import aws as aws_clients
from app.mfa import repository as mfa_items
from app.users import repository as users
from tests.conftest import ApiUser
from tests.mfa.conftest import MfaUser, code, set_up, wrong_code
from tests.shares.conftest import FakeClock


def me(client: TestClient, user: ApiUser) -> dict[str, object]:
    response = client.get("/users/me", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_setup_gives_the_secret_and_an_otpauth_uri_an_app_reads(
    client: TestClient, user: ApiUser
) -> None:
    response = client.post("/auth/mfa/setup", headers=user.headers)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    uri = urlsplit(body["otpauthUri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path) == f"/Sharebox:{user.email}"
    assert "@" not in uri.path  # the label is percent-encoded
    assert parse_qs(uri.query) == {
        "secret": [body["secret"]],
        "issuer": ["Sharebox"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }
    parsed = pyotp.parse_uri(body["otpauthUri"])
    assert (parsed.name, parsed.issuer) == (user.email, "Sharebox")
    assert parsed.now() == pyotp.TOTP(body["secret"]).now()


def test_setup_alone_turns_nothing_on(client: TestClient, user: ApiUser) -> None:
    set_up(client, user)
    assert me(client, user)["mfa"] is False
    login = client.post("/auth/login", json={"email": user.email, "password": user.password})
    assert login.status_code == 200 and "accessToken" in login.json()


def test_the_secret_is_stored_sealed_never_as_it_was_given(
    client: TestClient, user: ApiUser
) -> None:
    secret = set_up(client, user)["secret"]
    record = mfa_items.get(user.user_id)
    assert record is not None and not record.enabled
    assert secret not in record.sealed_secret and record.sealed_secret.startswith("v1:")


def test_a_current_code_enables_it_and_me_says_so(
    client: TestClient, user: ApiUser, clock: FakeClock
) -> None:
    assert me(client, user)["mfa"] is False
    secret = set_up(client, user)["secret"]
    response = client.post(
        "/auth/mfa/enable", json={"code": code(secret, clock)}, headers=user.headers
    )
    assert response.status_code == 204, response.text
    assert me(client, user)["mfa"] is True
    profile = users.get_profile(user.user_id)
    assert profile is not None and profile.mfa is True  # what the admin list reads


@pytest.mark.parametrize("steps", [-3, 2, 40])
def test_a_code_outside_the_one_step_window_is_invalid_code(
    client: TestClient, user: ApiUser, clock: FakeClock, steps: int
) -> None:
    secret = set_up(client, user)["secret"]
    response = client.post(
        "/auth/mfa/enable", json={"code": code(secret, clock, steps=steps)}, headers=user.headers
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_code"
    assert me(client, user)["mfa"] is False


@pytest.mark.parametrize("steps", [-1, 1])
def test_a_code_one_step_off_is_accepted(
    client: TestClient, user: ApiUser, clock: FakeClock, steps: int
) -> None:
    secret = set_up(client, user)["secret"]
    response = client.post(
        "/auth/mfa/enable", json={"code": code(secret, clock, steps=steps)}, headers=user.headers
    )
    assert response.status_code == 204, response.text


@pytest.mark.parametrize("bad", ["12345", "1234567", "abcdef", "12 456"])
def test_a_code_that_is_not_six_digits_is_invalid_code(
    client: TestClient, user: ApiUser, bad: str
) -> None:
    set_up(client, user)
    response = client.post("/auth/mfa/enable", json={"code": bad}, headers=user.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"


def test_enable_checks_the_secret_setup_gave_not_just_any_code(
    client: TestClient, user: ApiUser, clock: FakeClock
) -> None:
    """The emulator gives everyone one secret and accepts any code: here Cognito's answer is a
    secret of this user's own, and a code of another secret never reaches Cognito."""
    own = pyotp.random_base32()
    cognito = aws_clients.client("cognito-idp")
    with Stubber(cognito) as stub:
        stub.add_response("associate_software_token", {"SecretCode": own})
        stub.add_response(
            "get_user",
            {"Username": user.user_id, "UserAttributes": [{"Name": "email", "Value": user.email}]},
        )
        assert set_up(client, user)["secret"] == own
        other = pyotp.TOTP(pyotp.random_base32()).at(clock.now)
        refused = client.post("/auth/mfa/enable", json={"code": other}, headers=user.headers)
        stub.assert_no_pending_responses()  # and none was asked for: the Stubber would fail it
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_code"


def test_setup_while_it_is_on_is_409_and_keeps_the_secret(
    client: TestClient, mfa_user: MfaUser
) -> None:
    before = mfa_items.get(mfa_user.api.user_id)
    response = client.post("/auth/mfa/setup", headers=mfa_user.headers)
    assert response.status_code == 409
    assert response.json()["code"] == "mfa_already_enabled"
    assert mfa_items.get(mfa_user.api.user_id) == before


def test_enable_before_setup_is_409(client: TestClient, user: ApiUser) -> None:
    response = client.post("/auth/mfa/enable", json={"code": "123456"}, headers=user.headers)
    assert response.status_code == 409
    assert response.json()["code"] == "mfa_not_set_up"


def test_the_code_that_enabled_it_cannot_enable_or_disable_again(
    client: TestClient, user: ApiUser, clock: FakeClock
) -> None:
    secret = set_up(client, user)["secret"]
    first = code(secret, clock)
    assert (
        client.post("/auth/mfa/enable", json={"code": first}, headers=user.headers).status_code
        == 204
    )
    again = client.request("DELETE", "/auth/mfa", json={"code": first}, headers=user.headers)
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_code"
    assert "already used" in again.json()["detail"]
    assert me(client, user)["mfa"] is True


def test_a_wrong_code_does_not_turn_it_off(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    wrong = wrong_code(mfa_user.secret, clock)
    response = client.request("DELETE", "/auth/mfa", json={"code": wrong}, headers=mfa_user.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"
    assert me(client, mfa_user.api)["mfa"] is True


def test_a_current_code_turns_it_off_and_the_secret_is_forgotten(
    client: TestClient, mfa_user: MfaUser, clock: FakeClock
) -> None:
    response = client.request(
        "DELETE", "/auth/mfa", json={"code": code(mfa_user.secret, clock)}, headers=mfa_user.headers
    )
    assert response.status_code == 204, response.text
    assert me(client, mfa_user.api)["mfa"] is False
    assert mfa_items.get(mfa_user.api.user_id) is None
    login = client.post(
        "/auth/login", json={"email": mfa_user.api.email, "password": mfa_user.api.password}
    )
    assert login.status_code == 200 and "accessToken" in login.json()


def test_disable_when_it_is_off_is_409(client: TestClient, user: ApiUser) -> None:
    response = client.request("DELETE", "/auth/mfa", json={"code": "123456"}, headers=user.headers)
    assert response.status_code == 409
    assert response.json()["code"] == "mfa_not_enabled"


def test_the_routes_need_a_bearer_token(client: TestClient) -> None:
    for method, path in (("POST", "/auth/mfa/setup"), ("POST", "/auth/mfa/enable")):
        response = client.request(method, path, json={"code": "123456"})
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    response = client.request("DELETE", "/auth/mfa", json={"code": "123456"})
    assert response.status_code == 401


def test_five_codes_in_a_window_then_429_even_for_the_right_one(
    client: TestClient, user: ApiUser, clock: FakeClock
) -> None:
    secret = set_up(client, user)["secret"]
    wrong = wrong_code(secret, clock)
    for _ in range(5):
        response = client.post("/auth/mfa/enable", json={"code": wrong}, headers=user.headers)
        assert response.status_code == 400
    right = client.post(
        "/auth/mfa/enable", json={"code": code(secret, clock)}, headers=user.headers
    )
    assert right.status_code == 429
    assert right.json()["code"] == "too_many_attempts"
    assert 1 <= int(right.headers["retry-after"]) <= 300
    clock.advance(300)  # the next window
    later = client.post(
        "/auth/mfa/enable", json={"code": code(secret, clock)}, headers=user.headers
    )
    assert later.status_code == 204, later.text
