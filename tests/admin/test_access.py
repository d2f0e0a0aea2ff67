"""Only administrators reach /admin: every route, including any added later, answers a member
403 `forbidden` and a caller without a token 401."""

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.auth.dependencies import ADMINS_GROUP
from app.aws import client as aws_client
from app.local.bootstrap import LocalResources
from app.routing import load_all_routes
from tests.admin.conftest import log_in
from tests.auth.test_tokens import forge
from tests.conftest import ApiUser


def admin_requests(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route the app serves under /admin, path parameters filled."""
    load_all_routes(app)
    found = [
        (method, re.sub(r"\{[^}]+\}", "someone", route.path))
        for route in app.routes
        if isinstance(route, APIRoute) and route.path.startswith("/admin")
        for method in sorted(route.methods)
    ]
    assert len(found) >= 5, found  # the contract's four and GET /admin/audit, at least
    return found


def _send(client: TestClient, method: str, path: str, headers: dict[str, str]) -> Any:
    body = {"disabled": False} if method in ("PATCH", "POST", "PUT") else None
    return client.request(method, path, json=body, headers=headers)


def test_the_contracts_admin_routes_are_among_those_checked(app: FastAPI) -> None:
    assert {
        ("GET", "/admin/users"),
        ("PATCH", "/admin/users/someone"),
        ("GET", "/admin/stats"),
    } <= set(admin_requests(app))


def test_every_admin_route_answers_a_member_403_forbidden(
    client: TestClient, app: FastAPI, member: ApiUser
) -> None:
    for method, path in admin_requests(app):
        response = _send(client, method, path, member.headers)
        assert response.status_code == 403, (method, path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "forbidden", (method, path)


def test_every_admin_route_answers_401_without_a_token(client: TestClient, app: FastAPI) -> None:
    for method, path in admin_requests(app):
        response = _send(client, method, path, {})
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"


def test_an_administrators_token_opens_them(client: TestClient, admin: ApiUser) -> None:
    assert client.get("/admin/stats", headers=admin.headers).status_code == 200
    assert client.get("/admin/users?limit=1", headers=admin.headers).status_code == 200


@pytest.mark.parametrize(
    "groups", ["admins", ["Admins"], ["admins-x"], [["admins"]], {"admins": True}, None]
)
def test_a_groups_claim_that_is_not_a_list_naming_admins_grants_nothing(
    client: TestClient, member: ApiUser, groups: Any
) -> None:
    token = forge(member.user_id, **{"cognito:groups": groups})
    response = client.get("/admin/stats", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_signed_groups_claim_naming_admins_is_what_makes_an_administrator(
    client: TestClient, member: ApiUser
) -> None:
    token = forge(member.user_id, **{"cognito:groups": ["readers", "admins"]})
    response = client.get("/admin/stats", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text


def test_users_me_says_whether_the_caller_is_an_administrator(
    client: TestClient, admin: ApiUser, member: ApiUser
) -> None:
    mine = client.get("/users/me", headers=admin.headers)
    theirs = client.get("/users/me", headers=member.headers)
    assert (mine.status_code, theirs.status_code) == (200, 200)
    assert (mine.json()["admin"], theirs.json()["admin"]) == (True, False)


def test_a_token_issued_before_its_user_joined_admins_is_still_a_members_token(
    client: TestClient, member: ApiUser, aws: LocalResources
) -> None:
    """Membership is what the token says: a new administrator logs in again to act as one."""
    aws_client("cognito-idp").admin_add_user_to_group(
        UserPoolId=aws.user_pool_id, Username=member.email, GroupName=ADMINS_GROUP
    )
    assert client.get("/admin/stats", headers=member.headers).status_code == 403
    again = log_in(client, member)
    assert client.get("/admin/stats", headers=again.headers).status_code == 200
