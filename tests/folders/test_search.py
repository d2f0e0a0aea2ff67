"""GET /search: the caller's own names, case-insensitive contains, paged."""

from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.folders.conftest import Mkdir, PutFile, names


def search(client: TestClient, user: ApiUser, q: str, **params) -> dict:
    response = client.get("/search", params={"q": q} | params, headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_search_finds_own_folders_and_files_by_any_case(
    client: TestClient, owner: ApiUser, stranger: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    holiday = mkdir(owner, "Holiday 2026")["folderId"]
    put_file(owner, holiday, "beach-HOLIDAY.txt")
    put_file(owner, None, "taxes.txt")
    mkdir(stranger, "holiday too")
    found = search(client, owner, "holiday")
    assert names(found) == ["Holiday 2026", "beach-HOLIDAY.txt"]
    assert found["nextCursor"] is None
    assert names(search(client, owner, "ÄX")) == []  # nothing matches
    assert names(search(client, owner, "TAX")) == ["taxes.txt"]


def test_search_pages(client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile) -> None:
    for i in range(3):
        mkdir(owner, f"report folder {i}")
    for i in range(3):
        put_file(owner, None, f"report {i}.txt")
    mkdir(owner, "unrelated")
    seen, cursor = [], None
    while True:
        page = search(client, owner, "report", limit=2, **({"cursor": cursor} if cursor else {}))
        seen += names(page)
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(
        [f"report folder {i}" for i in range(3)] + [f"report {i}.txt" for i in range(3)]
    )
    assert len(seen) == 6


def test_a_search_cursor_is_bound_to_its_query(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    for i in range(3):
        mkdir(owner, f"abc {i}")
    cursor = search(client, owner, "abc", limit=1)["nextCursor"]
    other = client.get("/search", params={"q": "ab", "cursor": cursor}, headers=owner.headers)
    assert other.status_code == 400 and other.json()["code"] == "invalid_cursor"


def test_a_query_of_the_wrong_length_is_422(client: TestClient, owner: ApiUser) -> None:
    for q in ("a", "x" * 101):
        response = client.get("/search", params={"q": q}, headers=owner.headers)
        assert response.status_code == 422
    assert client.get("/search", headers=owner.headers).status_code == 422
