"""Administrators and members for the admin tests, and a count of what DynamoDB read."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.dependencies import ADMINS_GROUP
from app.aws import client as aws_client
from app.local.bootstrap import LocalResources
from tests.conftest import ApiUser
from tests.files.conftest import declare, uploaded  # noqa: F401  (fixtures)


def log_in(client: TestClient, person: ApiUser) -> ApiUser:
    """`person` with fresh tokens (whose claims say the groups they are in now)."""
    login = client.post("/auth/login", json={"email": person.email, "password": person.password})
    assert login.status_code == 200, login.text
    tokens = login.json()
    return replace(
        person,
        access_token=tokens["accessToken"],
        refresh_token=tokens["refreshToken"],
        id_token=tokens["idToken"],
    )


@pytest.fixture
def make_admin(
    client: TestClient, make_user: Callable[..., ApiUser], aws: LocalResources
) -> Callable[[], ApiUser]:
    """A fresh user put in the pool's `admins` group, logged in again after that."""

    def make() -> ApiUser:
        person = make_user("admin")
        aws_client("cognito-idp").admin_add_user_to_group(
            UserPoolId=aws.user_pool_id, Username=person.email, GroupName=ADMINS_GROUP
        )
        return log_in(client, person)

    return make


@pytest.fixture
def admin(make_admin: Callable[[], ApiUser]) -> ApiUser:
    return make_admin()


@pytest.fixture
def member(make_user: Callable[..., ApiUser]) -> ApiUser:
    return make_user("member")


@dataclass
class Reads:
    """What the app's DynamoDB client did: each call's name, and the items it read."""

    calls: list[tuple[str, int]] = field(default_factory=list)

    def __call__(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in ("Query", "Scan"):
            self.calls.append((model.name, int(parsed.get("ScannedCount", 0))))
        elif model.name == "GetItem":
            self.calls.append((model.name, 1 if parsed.get("Item") else 0))
        elif model.name == "BatchGetItem":
            found = sum(len(items) for items in parsed.get("Responses", {}).values())
            self.calls.append((model.name, found))
        else:
            self.calls.append((model.name, 0))

    @property
    def items_read(self) -> int:
        return sum(count for _, count in self.calls)

    @property
    def operations(self) -> set[str]:
        return {name for name, _ in self.calls}


@pytest.fixture
def reads() -> Iterator[Reads]:
    """Every DynamoDB call the app makes while the test runs."""
    events = aws_client("dynamodb").meta.events
    counted = Reads()
    events.register("after-call.dynamodb", counted, unique_id="admin-reads")
    try:
        yield counted
    finally:
        events.unregister("after-call.dynamodb", unique_id="admin-reads")
