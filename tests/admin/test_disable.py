"""Disabling a user: no more log-ins, signed out everywhere, and the access tokens they hold
refused at once, through the same record as a logout; enabling them lets them back in."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.auth.revocation import RevocationStore
from app.clock import get_clock, utcnow
from app.users import repository as users
from tests.admin.conftest import log_in
from tests.conftest import PASSWORD, ApiUser


def patch(client: TestClient, admin: ApiUser, user_id: str, body: dict) -> object:
    return client.patch(f"/admin/users/{user_id}", json=body, headers=admin.headers)


def test_a_disabled_users_token_refresh_and_log_in_are_refused_at_once(
    client: TestClient, admin: ApiUser, member: ApiUser
) -> None:
    assert client.get("/users/me", headers=member.headers).status_code == 200

    response = client.patch(
        f"/admin/users/{member.user_id}", json={"disabled": True}, headers=admin.headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["disabled"] is True
    me = client.get("/users/me", headers=member.headers)  # the very next request
    assert me.status_code == 401
    assert me.headers["www-authenticate"] == "Bearer"
    refresh = client.post("/auth/refresh", json={"refreshToken": member.refresh_token})
    assert (refresh.status_code, refresh.json()["code"]) == (401, "invalid_token")
    login = client.post("/auth/login", json={"email": member.email, "password": PASSWORD})
    assert (login.status_code, login.json()["code"]) == (401, "invalid_credentials")
    listed = client.get(f"/admin/users?q={member.email}", headers=admin.headers).json()
    assert [item["disabled"] for item in listed["items"]] == [True]


@pytest.fixture
def two_seconds_ago(app: FastAPI) -> Iterator[None]:
    """The routes' clock two seconds behind: what was disabled then is over by now."""
    app.dependency_overrides[get_clock] = lambda: lambda: utcnow() - timedelta(seconds=2)
    yield
    del app.dependency_overrides[get_clock]


def test_an_enabled_user_logs_in_again_and_their_new_tokens_work(
    client: TestClient, admin: ApiUser, member: ApiUser, two_seconds_ago: None
) -> None:
    assert client.patch(
        f"/admin/users/{member.user_id}", json={"disabled": True}, headers=admin.headers
    ).json()["disabled"]
    again = client.patch(
        f"/admin/users/{member.user_id}", json={"disabled": False}, headers=admin.headers
    )
    assert again.status_code == 200
    assert again.json()["disabled"] is False

    back = log_in(client, member)
    assert client.get("/users/me", headers=back.headers).status_code == 200
    profile = users.get_profile(member.user_id)
    assert profile is not None and not profile.disabled


def test_an_administrator_cannot_disable_themself(client: TestClient, admin: ApiUser) -> None:
    response = client.patch(
        f"/admin/users/{admin.user_id}",
        json={"disabled": True, "quotaBytes": 1},
        headers=admin.headers,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "cannot_disable_self"
    assert client.get("/admin/stats", headers=admin.headers).status_code == 200
    mine = client.get(f"/admin/users/{admin.user_id}", headers=admin.headers).json()
    assert (mine["disabled"], mine["quota"]["custom"]) == (False, False)  # nothing was done
    assert (
        client.post("/auth/login", json={"email": admin.email, "password": PASSWORD}).status_code
        == 200
    )


def test_another_administrator_may_disable_an_administrator(
    client: TestClient, admin: ApiUser, make_admin: object
) -> None:
    other = make_admin()  # type: ignore[operator]
    response = client.patch(
        f"/admin/users/{other.user_id}", json={"disabled": True}, headers=admin.headers
    )
    assert response.status_code == 200
    assert client.get("/admin/stats", headers=other.headers).status_code == 401


@pytest.mark.parametrize("body", [{"disabled": True}, {"quotaBytes": 5}, {"disabled": False}])
def test_an_unknown_user_is_404_user_not_found(
    client: TestClient, admin: ApiUser, body: dict
) -> None:
    for response in (
        client.patch("/admin/users/no-such-user", json=body, headers=admin.headers),
        client.get("/admin/users/no-such-user", headers=admin.headers),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "user_not_found"


def test_a_profile_without_a_directory_user_is_404_when_disabled(
    client: TestClient, admin: ApiUser
) -> None:
    users.save_profile("f0f0f0f0-0000-4000-8000-000000000000", "ghost@example.com")
    response = client.patch(
        "/admin/users/f0f0f0f0-0000-4000-8000-000000000000",
        json={"disabled": True},
        headers=admin.headers,
    )
    assert (response.status_code, response.json()["code"]) == (404, "user_not_found")


def test_another_process_refuses_the_tokens_once_its_cached_record_is_old(
    aws: object,
) -> None:
    """What "at once" means on Lambda: the process that handled the disable refuses the
    user's tokens from its next request; every other one when its copy of the user's record is
    REVOCATION_CACHE_SECONDS (5) old."""
    from app.auth.tokens import AccessClaims

    ticks = [0.0]
    here, elsewhere = RevocationStore(), RevocationStore(clock=lambda: ticks[0])
    now = int(utcnow().timestamp())
    token = AccessClaims(sub=f"cache-{now}", iat=now, exp=now + 600, origin_jti="s", raw={})
    assert not elsewhere.get(token.sub).refuses(token)  # read and kept before the disable

    here.revoke_user(token.sub, now + 1)

    assert here.get(token.sub).refuses(token)
    ticks[0] = 4.9
    assert not elsewhere.get(token.sub).refuses(token)
    ticks[0] = 5.0
    assert elsewhere.get(token.sub).refuses(token)
