"""GET /files: newest first, every file exactly once, cursors nobody else can use."""

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import db
from tests.conftest import ApiUser
from tests.files.conftest import Declare


def _all_pages(client: TestClient, user: ApiUser, limit: int) -> tuple[list[str], int]:
    seen: list[str] = []
    cursor, pages = None, 0
    while True:
        params: dict[str, str | int] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/files", params=params, headers=user.headers)
        assert page.status_code == 200, page.text
        pages += 1
        seen += [item["fileId"] for item in page.json()["items"]]
        cursor = page.json()["nextCursor"]
        if cursor is None:
            return seen, pages


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 100])
def test_pagination_visits_every_file_exactly_once_newest_first(
    client: TestClient, make_user, declare: Declare, limit: int
) -> None:
    user = make_user("pager")
    created = [declare(user, name=f"f{i}.txt")["fileId"] for i in range(7)]
    seen, pages = _all_pages(client, user, limit)
    assert seen == list(reversed(created))
    assert pages == -(-7 // limit)  # a full last page carries no cursor to an empty one


def test_an_empty_listing_has_no_cursor(client: TestClient, user: ApiUser) -> None:
    response = client.get("/files", headers=user.headers)
    assert response.status_code == 200
    assert response.json() == {"items": [], "nextCursor": None}


def test_a_cursor_from_another_user_is_invalid_cursor(
    client: TestClient, make_user, declare: Declare
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    for i in range(3):
        declare(alice, name=f"a{i}.txt")
    cursor = client.get("/files?limit=1", headers=alice.headers).json()["nextCursor"]
    assert cursor
    response = client.get("/files", params={"cursor": cursor}, headers=bob.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def _forge(cursor: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[-3] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


@pytest.mark.parametrize("cursor", ["garbage", "!!!", "", "a" * 2000, "eyJwayI6IkZJTEUjeCJ9"])
def test_garbage_cursors_are_invalid_cursor(client: TestClient, user: ApiUser, cursor: str) -> None:
    response = client.get("/files", params={"cursor": cursor}, headers=user.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_a_tampered_cursor_is_invalid_cursor(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    for i in range(2):
        declare(user, name=f"t{i}.txt")
    cursor = client.get("/files?limit=1", headers=user.headers).json()["nextCursor"]
    response = client.get("/files", params={"cursor": _forge(cursor)}, headers=user.headers)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten"])
def test_limit_outside_1_to_100_is_422(client: TestClient, user: ApiUser, limit: str) -> None:
    response = client.get("/files", params={"limit": limit}, headers=user.headers)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_listing_needs_a_token(client: TestClient) -> None:
    response = client.get("/files")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


class _EmptyPagesFirst:
    """The real client, except that the first query from each start key answers like AWS can
    after a full page: no items, but a LastEvaluatedKey."""

    def __init__(self, real: Any) -> None:
        self.real, self.injected = real, 0
        self.started_from: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def query(self, **kwargs: Any) -> dict[str, Any]:
        key = kwargs.get("ExclusiveStartKey")
        if key and repr(key) not in self.started_from:
            self.started_from.add(repr(key))
            self.injected += 1
            return {"Items": [], "LastEvaluatedKey": key}
        return self.real.query(**kwargs)


def test_an_empty_page_that_carries_a_key_is_read_past(
    client: TestClient, make_user, declare: Declare, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user("empty-pages")
    created = [declare(user, name=f"e{i}.txt")["fileId"] for i in range(5)]
    fake = _EmptyPagesFirst(db.dynamodb())
    monkeypatch.setattr(db, "dynamodb", lambda: fake)
    seen, _ = _all_pages(client, user, 2)
    assert seen == list(reversed(created))
    assert fake.injected >= 2
