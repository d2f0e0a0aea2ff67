"""Every administrator action is logged with who did it: an audit entry (GET /admin/audit)
and a structured log line, also when an error stops it part way."""

import logging
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.faults import inject


def audit(client: TestClient, admin: ApiUser, query: str = "") -> dict:
    response = client.get(f"/admin/audit?{query}", headers=admin.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_each_change_is_an_entry_naming_the_administrator_the_user_and_the_fields(
    client: TestClient, admin: ApiUser, member: ApiUser
) -> None:
    path, headers = f"/admin/users/{member.user_id}", admin.headers
    assert client.patch(path, json={"quotaBytes": 2048}, headers=headers).status_code == 200
    body = {"disabled": True, "quotaBytes": None}
    assert client.patch(path, json=body, headers=headers).status_code == 200

    latest, earlier = audit(client, admin, f"userId={member.user_id}")["items"]

    assert latest["action"] == earlier["action"] == "user_updated"
    assert latest["actor"] == {"userId": admin.user_id, "email": admin.email}
    assert latest["target"] == {"userId": member.user_id, "email": member.email}
    assert earlier["before"] == {"quotaBytes": None}
    assert earlier["after"] == {"quotaBytes": 2048}
    assert latest["before"] == {"quotaBytes": 2048, "disabled": False}
    assert latest["after"] == {"quotaBytes": None, "disabled": True}
    assert latest["outcome"] == "done"
    assert latest["ip"] == "testclient"
    assert latest["at"] > earlier["at"]


def test_the_whole_log_is_newest_first_a_page_at_a_time(
    client: TestClient, admin: ApiUser, make_user: Callable[..., ApiUser]
) -> None:
    people = [make_user("audited") for _ in range(3)]
    for person in people:
        client.patch(
            f"/admin/users/{person.user_id}", json={"quotaBytes": 1}, headers=admin.headers
        )

    first = audit(client, admin, "limit=2")
    second = audit(client, admin, f"limit=2&cursor={first['nextCursor']}")

    targets = [entry["target"]["userId"] for entry in first["items"] + second["items"]]
    assert targets[:3] == [person.user_id for person in reversed(people)]


def test_a_cursor_of_one_users_entries_does_not_page_the_whole_log(
    client: TestClient, admin: ApiUser, member: ApiUser
) -> None:
    for quota in (1, 2):
        client.patch(
            f"/admin/users/{member.user_id}", json={"quotaBytes": quota}, headers=admin.headers
        )
    cursor = audit(client, admin, f"userId={member.user_id}&limit=1")["nextCursor"]
    response = client.get(f"/admin/audit?cursor={cursor}", headers=admin.headers)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_cursor")


def test_an_action_an_error_stopped_is_logged_as_failed_with_what_then_held(
    client: TestClient, admin: ApiUser, member: ApiUser, tight_budget: object
) -> None:
    with inject("cognito-idp", "fail", "AdminDisableUser"):
        response = client.patch(
            f"/admin/users/{member.user_id}",
            json={"quotaBytes": 7, "disabled": True},
            headers=admin.headers,
        )
    assert response.status_code == 503
    assert "retry-after" in response.headers

    (entry,) = audit(client, admin, f"userId={member.user_id}")["items"]
    assert entry["outcome"] == "failed"
    assert entry["after"] == {"quotaBytes": 7, "disabled": False}  # the quota was set first
    assert client.get("/users/me", headers=member.headers).status_code == 200  # not disabled


def test_each_action_is_also_one_structured_log_line(
    client: TestClient, admin: ApiUser, member: ApiUser, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sharebox.admin"):
        client.patch(
            f"/admin/users/{member.user_id}", json={"quotaBytes": 9}, headers=admin.headers
        )
    (line,) = [record for record in caplog.records if record.name == "sharebox.admin"]
    assert line.getMessage() == "admin action"
    assert (line.adminId, line.targetId, line.action, line.outcome) == (  # type: ignore[attr-defined]
        admin.user_id,
        member.user_id,
        "user_updated",
        "done",
    )
    assert (line.before, line.after, line.ip) == (  # type: ignore[attr-defined]
        {"quotaBytes": None},
        {"quotaBytes": 9},
        "testclient",
    )
