"""Two-factor routes under a failing user directory: a quick, honest 503, nothing half done."""

import time

import pytest
from fastapi.testclient import TestClient

from tests.conftest import TIGHT, ApiUser
from tests.faults import inject
from tests.mfa.conftest import MfaUser, code, log_in, set_up
from tests.resilience.test_routes_under_faults import assert_honest_503
from tests.shares.conftest import FakeClock


def test_a_silent_directory_at_setup_is_a_503_within_the_budget(
    client: TestClient, user: ApiUser, tight_budget: dict[str, str]
) -> None:
    with inject("cognito-idp", "hang", "AssociateSoftwareToken"):
        started = time.monotonic()
        response = client.post("/auth/mfa/setup", headers=user.headers)
        took = time.monotonic() - started
    assert_honest_503(response)
    assert took < float(TIGHT["AWS_REQUEST_BUDGET_SECONDS"]) + 0.5


def test_a_throttled_directory_at_enable_leaves_it_off(
    client: TestClient, user: ApiUser, clock: FakeClock, tight_budget: dict[str, str]
) -> None:
    secret = set_up(client, user)["secret"]
    with inject("cognito-idp", "throttle", "SetUserMFAPreference"):
        response = client.post(
            "/auth/mfa/enable", json={"code": code(secret, clock)}, headers=user.headers
        )
    assert_honest_503(response)
    assert client.get("/users/me", headers=user.headers).json()["mfa"] is False


@pytest.mark.parametrize("operation", ["AdminGetUser", "RespondToAuthChallenge"])
def test_a_silent_directory_during_a_two_factor_log_in_is_a_503(
    client: TestClient,
    mfa_user: MfaUser,
    clock: FakeClock,
    tight_budget: dict[str, str],
    operation: str,
) -> None:
    login = {"email": mfa_user.api.email, "password": mfa_user.api.password}
    if operation == "AdminGetUser":
        with inject("cognito-idp", "hang", operation):
            assert_honest_503(client.post("/auth/login", json=login))
        return
    session = log_in(client, mfa_user.api)["session"]
    with inject("cognito-idp", "hang", operation):
        response = client.post(
            "/auth/login/mfa", json=mfa_user.answer(session, code(mfa_user.secret, clock))
        )
    assert_honest_503(response)
