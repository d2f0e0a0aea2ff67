"""GET /admin/users: every user by address, searched by the start of it, a page at a time,
reading only the page from one index partition however many users there are."""

import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app import db
from app.aws import client as aws_client
from app.users import backfill
from app.users import repository as users
from tests.admin.conftest import Reads
from tests.conftest import ApiUser


@pytest.fixture
def team(make_user: Callable[..., ApiUser]) -> list[ApiUser]:
    """Five users whose addresses, and nobody else's, start with one random prefix."""
    prefix = f"team{uuid.uuid4().hex[:8]}"
    return sorted((make_user(prefix) for _ in range(5)), key=lambda person: person.email)


def _prefix(team: list[ApiUser]) -> str:
    return team[0].email.split("-")[0]


def test_a_search_lists_those_users_by_address_with_their_account(
    client: TestClient, admin: ApiUser, team: list[ApiUser]
) -> None:
    response = client.get(f"/admin/users?q={_prefix(team).upper()}", headers=admin.headers)
    assert response.status_code == 200, response.text
    page = response.json()
    assert [item["email"] for item in page["items"]] == [person.email for person in team]
    assert page["nextCursor"] is None
    first = page["items"][0]
    assert first["userId"] == team[0].user_id
    assert first["createdAt"].endswith("Z")
    assert {key: first[key] for key in ("usage", "quota", "disabled", "mfa")} == {
        "usage": {"files": 0, "bytes": 0},
        "quota": {"bytes": 10 * 1024**3, "custom": False},
        "disabled": False,
        "mfa": False,
    }


def test_the_list_shows_who_has_two_factor_login_on(
    client: TestClient, admin: ApiUser, member: ApiUser
) -> None:
    aws_client("dynamodb").transact_write_items(
        TransactItems=[users.mfa_change(member.user_id, True)]
    )
    listed = client.get(f"/admin/users?q={member.email}", headers=admin.headers).json()
    assert [item["mfa"] for item in listed["items"]] == [True]
    one = client.get(f"/admin/users/{member.user_id}", headers=admin.headers).json()
    assert one["mfa"] is True


def test_pages_follow_each_other_to_the_last_without_repeats(
    client: TestClient, admin: ApiUser, team: list[ApiUser]
) -> None:
    seen, cursor, pages = [], None, 0
    while True:
        query = f"/admin/users?q={_prefix(team)}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(query, headers=admin.headers).json()
        seen += [item["email"] for item in page["items"]]
        pages += 1
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == [person.email for person in team]


@pytest.fixture(scope="module")
def crowd(aws: object) -> str:
    """300 profiles whose addresses share a prefix (written as sign-up writes them)."""
    prefix = f"crowd{uuid.uuid4().hex[:8]}"
    for n in range(300):
        users.save_profile(str(uuid.uuid4()), f"{prefix}-{n:03d}@example.com")
    return prefix


@pytest.mark.parametrize("search", ["", "crowd"])
def test_a_page_reads_itself_and_one_more_item_however_many_users_match(
    client: TestClient, admin: ApiUser, crowd: str, reads: Reads, search: str
) -> None:
    """One Query whose ScannedCount is the page plus one, never a Scan: with 300 users
    matching the search, and with every user of the session's table."""
    query = f"q={crowd}" if search else ""
    response = client.get(f"/admin/users?limit=2&{query}", headers=admin.headers)
    assert response.status_code == 200
    assert len(response.json()["items"]) == 2 and response.json()["nextCursor"]
    queries = [call for call in reads.calls if call[0] != "GetItem"]
    assert queries == [("Query", 3)], reads.calls
    # Besides, at most the caller's logout record (unless this process read it just now).
    assert len(reads.calls) - len(queries) <= 1, reads.calls


def test_a_cursor_works_only_for_the_search_that_made_it(
    client: TestClient, admin: ApiUser, team: list[ApiUser]
) -> None:
    cursor = client.get(f"/admin/users?q={_prefix(team)}&limit=1", headers=admin.headers).json()[
        "nextCursor"
    ]
    for query in (
        f"q=a&cursor={cursor}",
        f"cursor={cursor}",
        f"q={_prefix(team)}&cursor=x{cursor}",
    ):
        response = client.get(f"/admin/users?{query}", headers=admin.headers)
        assert response.status_code == 400, query
        assert response.json()["code"] == "invalid_cursor"


def test_a_search_nobody_matches_is_an_empty_page(client: TestClient, admin: ApiUser) -> None:
    response = client.get(f"/admin/users?q=nobody-{uuid.uuid4().hex}", headers=admin.headers)
    assert response.json() == {"items": [], "nextCursor": None}


def _unindex(person: ApiUser) -> None:
    """What a profile written before the index looked like."""
    aws_client("dynamodb").update_item(
        TableName=db.table_name(),
        Key={"pk": {"S": f"USER#{person.user_id}"}, "sk": {"S": "PROFILE"}},
        UpdateExpression="REMOVE gsi1pk, gsi1sk",
    )


def _listed(client: TestClient, admin: ApiUser, person: ApiUser) -> bool:
    page = client.get(f"/admin/users?q={person.email}", headers=admin.headers).json()
    return [item["userId"] for item in page["items"]] == [person.user_id]


def test_an_older_profile_joins_the_list_when_its_user_comes_back_or_by_the_backfill(
    client: TestClient, admin: ApiUser, member: ApiUser
) -> None:
    _unindex(member)
    assert not _listed(client, admin, member)
    assert client.get("/users/me", headers=member.headers).status_code == 200
    assert _listed(client, admin, member)

    _unindex(member)
    assert backfill.backfill() >= 1
    assert _listed(client, admin, member)
    assert backfill.backfill() == 0
