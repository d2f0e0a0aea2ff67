"""Which emails a user gets: `GET /users/me` shows it, `PATCH /users/me` changes it (and the
name), partially; the service alike without HTTP."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.errors import NotFound
from app.local.bootstrap import LocalResources
from app.users import service
from tests.conftest import ApiUser
from tests.notifications.conftest import Person

ALL_ON = {"shares": True, "requests": True, "rejections": True}


def test_every_kind_of_email_is_on_for_a_new_user(client: TestClient, user: ApiUser) -> None:
    me = client.get("/users/me", headers=user.headers)

    assert me.status_code == 200
    assert me.json()["notifications"] == ALL_ON


def test_patch_turns_off_only_the_kinds_given_and_answers_the_account(
    client: TestClient, user: ApiUser
) -> None:
    changed = client.patch(
        "/users/me", json={"notifications": {"requests": False}}, headers=user.headers
    )

    assert changed.status_code == 200, changed.text
    assert changed.json()["notifications"] == ALL_ON | {"requests": False}
    assert changed.json()["email"] == user.email
    again = client.patch(
        "/users/me", json={"notifications": {"shares": False}}, headers=user.headers
    )
    assert again.json()["notifications"] == ALL_ON | {"requests": False, "shares": False}
    assert client.get("/users/me", headers=user.headers).json()["notifications"] == (
        ALL_ON | {"requests": False, "shares": False}
    )


def test_patch_sets_the_name_trimmed_and_keeps_the_settings(
    client: TestClient, user: ApiUser
) -> None:
    changed = client.patch("/users/me", json={"name": "  Ann Lee  "}, headers=user.headers)

    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["notifications"]) == ("Ann Lee", ALL_ON)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 101},
        {"name": "Ann\nLee"},
        {"name": "Ann\u202eeeL"},
        {"name": None},
        {"notifications": None},
        {"notifications": {}},
        {"notifications": {"shares": "no"}},
        {"notifications": {"shares": 0}},
        {"notifications": {"shares": None}},
        {"notifications": []},
    ],
)
def test_bad_input_is_a_422_problem_and_changes_nothing(
    client: TestClient, user: ApiUser, body: object
) -> None:
    before = client.get("/users/me", headers=user.headers).json()

    response = client.patch("/users/me", json=body, headers=user.headers)

    assert response.status_code == 422, body
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "validation_error"
    assert client.get("/users/me", headers=user.headers).json() == before


def test_patch_needs_a_login(client: TestClient) -> None:
    response = client.patch("/users/me", json={"name": "Ann"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_service_changes_a_profile_without_http(person: Callable[..., Person]) -> None:
    someone = person("Ann")

    profile = service.update_settings(someone.user_id, notifications={"rejections": False})

    assert (profile.name, profile.notifications.rejections) == ("Ann", False)
    assert profile.notifications.shares and profile.notifications.requests
    renamed = service.update_settings(someone.user_id, name="Ann B")
    assert (renamed.name, renamed.notifications.rejections) == ("Ann B", False)


def test_the_service_never_creates_a_profile_for_a_user_who_has_none(aws: LocalResources) -> None:
    with pytest.raises(NotFound):
        service.update_settings("nobody-at-all", name="Ghost")
