"""Two-factor fixtures: a settable clock for the routes, and users with TOTP on, whose codes
come from pyotp (another implementation than the app's) and the secret setup returned."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, ApiUser
from tests.shares.conftest import FakeClock, fixed_clock  # noqa: F401  (the routes' clock)

STEP = 30  # seconds of one TOTP time step


@pytest.fixture
def clock(fixed_clock: FakeClock) -> FakeClock:  # noqa: F811  (the imported fixture)
    """The routes' clock: codes, sessions and attempt windows move only when the test says."""
    return fixed_clock


def code(secret: str, clock: FakeClock, *, steps: int = 0) -> str:
    """The code an authenticator app shows at the clock's time, `steps` steps later."""
    return str(pyotp.TOTP(secret).at(clock.now + timedelta(seconds=STEP * steps)))


def wrong_code(secret: str, clock: FakeClock) -> str:
    """Six digits that are no code of the window around the clock's time."""
    window = {code(secret, clock, steps=steps) for steps in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(0, 10**6, 7919)) if c not in window)


def set_up(client: TestClient, user: ApiUser) -> dict[str, Any]:
    response = client.post("/auth/mfa/setup", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def log_in(client: TestClient, user: ApiUser, **headers: str) -> dict[str, Any]:
    response = client.post(
        "/auth/login", json={"email": user.email, "password": PASSWORD}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@dataclass
class MfaUser:
    api: ApiUser
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return self.api.headers

    def answer(self, session: str, code: str) -> dict[str, Any]:
        return {"email": self.api.email, "session": session, "code": code}


@pytest.fixture
def mfa_user(client: TestClient, user: ApiUser, clock: FakeClock) -> MfaUser:
    """A user who turned two-factor login on, one time step ago (the code spent doing it is
    behind them)."""
    secret = set_up(client, user)["secret"]
    enabled = client.post(
        "/auth/mfa/enable", json={"code": code(secret, clock)}, headers=user.headers
    )
    assert enabled.status_code == 204, enabled.text
    clock.advance(STEP)
    return MfaUser(api=user, secret=secret)
