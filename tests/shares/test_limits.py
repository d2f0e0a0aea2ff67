"""At most 50 active links and 500 shares per file, counted so that racing requests cannot pass."""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import db
from app.access import limits
from app.access.errors import LimitReached
from app.access.shares import ShareRecord
from app.clock import iso
from app.files import repository as files
from app.files.repository import FileRecord
from app.shares import links, visitors
from app.shares.schemas import LinkCreate
from tests.conftest import ApiUser
from tests.shares.conftest import FakeClock, Upload

BASE = "https://share.example.com"


@pytest.fixture
def file(upload: Upload, owner: ApiUser) -> FileRecord:
    record = files.get_file(upload(owner)["fileId"])
    assert record is not None
    return record


def new_link(file: FileRecord, clock: FakeClock, **body: Any) -> str:
    link = links.create_link(
        file, LinkCreate(**{"expires_in": 3600, **body}), base_url=BASE, ip=None, now=clock()
    )
    return link.token


def share_with(file: FileRecord, user_id: str, clock: FakeClock) -> bool:
    """Share `file` with a made-up user id; whether the share is new."""
    record = ShareRecord(
        file.file_id, user_id, f"{user_id}@example.com", file.owner_id, iso(clock())
    )
    return limits.add_share(record)[1]


def assert_limit_reached(error: pytest.ExceptionInfo[LimitReached]) -> None:
    assert error.value.status == 409 and error.value.code == "limit_reached"


def test_the_51st_active_link_is_limit_reached(file: FileRecord, clock: FakeClock) -> None:
    for _ in range(limits.MAX_LINKS):
        new_link(file, clock)
    with pytest.raises(LimitReached) as refused:
        new_link(file, clock)
    assert_limit_reached(refused)
    assert len(links.list_links(file, BASE, 100, None).items) == limits.MAX_LINKS


def test_a_revoked_link_frees_its_slot(file: FileRecord, clock: FakeClock) -> None:
    tokens = [new_link(file, clock) for _ in range(limits.MAX_LINKS)]
    links.revoke_link(file, tokens[0], ip=None, now=clock())
    new_link(file, clock)
    with pytest.raises(LimitReached):
        new_link(file, clock)


def test_an_expired_link_frees_its_slot(file: FileRecord, clock: FakeClock) -> None:
    new_link(file, clock, expires_in=60)
    for _ in range(limits.MAX_LINKS - 1):
        new_link(file, clock)
    with pytest.raises(LimitReached):
        new_link(file, clock)
    clock.advance(60)
    new_link(file, clock)
    with pytest.raises(LimitReached):
        new_link(file, clock)


def test_a_link_out_of_downloads_frees_its_slot(file: FileRecord, clock: FakeClock) -> None:
    once = new_link(file, clock, max_downloads=1)
    for _ in range(limits.MAX_LINKS - 1):
        new_link(file, clock)
    visitors.download(once, None, ip=None, now=clock())
    new_link(file, clock)
    with pytest.raises(LimitReached):
        new_link(file, clock)


def test_parallel_links_never_pass_the_limit(
    file: FileRecord, clock: FakeClock, atomic_dynamodb: None
) -> None:
    for _ in range(limits.MAX_LINKS - 5):
        new_link(file, clock)
    start = threading.Barrier(10)

    def create(_: int) -> bool:
        start.wait()
        try:
            new_link(file, clock)
        except LimitReached:
            return False
        return True

    with ThreadPoolExecutor(10) as pool:
        created = list(pool.map(create, range(10)))
    assert created.count(True) == 5
    assert len(links.list_links(file, BASE, 100, None).items) == limits.MAX_LINKS


def test_parallel_shares_never_pass_the_limit(
    file: FileRecord, clock: FakeClock, atomic_dynamodb: None
) -> None:
    for n in range(limits.MAX_SHARES - 5):
        share_with(file, f"user-{n}", clock)
    start = threading.Barrier(10)

    def share(n: int) -> bool:
        start.wait()
        try:
            return share_with(file, f"racer-{n}", clock)
        except LimitReached:
            return False

    with ThreadPoolExecutor(10) as pool:
        created = list(pool.map(share, range(10)))
    assert created.count(True) == 5


def test_over_the_link_limit_the_route_answers_409_problem_json(
    client: TestClient, file: FileRecord, owner: ApiUser, clock: FakeClock
) -> None:
    for _ in range(limits.MAX_LINKS):
        new_link(file, clock)
    refused = client.post(
        f"/files/{file.file_id}/links", json={"expiresIn": 600}, headers=owner.headers
    )
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json() | {"detail": ""} == {
        "type": "https://sharebox.dev/problems/limit-reached",
        "title": "Conflict",
        "status": 409,
        "detail": "",
        "code": "limit_reached",
    }
    assert "50" in refused.json()["detail"]


def test_the_501st_share_is_409_limit_reached_and_a_revoked_share_frees_its_place(
    client: TestClient,
    file: FileRecord,
    owner: ApiUser,
    recipient: ApiUser,
    stranger: ApiUser,
    clock: FakeClock,
) -> None:
    assert all(share_with(file, f"user-{n}", clock) for n in range(limits.MAX_SHARES - 1))
    path = f"/files/{file.file_id}/share"
    to_recipient, to_stranger = {"email": recipient.email}, {"email": stranger.email}
    assert client.post(path, json=to_recipient, headers=owner.headers).status_code == 201
    again = client.post(path, json=to_recipient, headers=owner.headers)
    assert again.status_code == 200  # sharing again takes no place and works at the limit
    refused = client.post(path, json=to_stranger, headers=owner.headers)
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "limit_reached" and "500" in refused.json()["detail"]
    for _ in range(2):  # the second revocation gives back nothing more
        revoke = client.delete(f"{path}s/{recipient.user_id}", headers=owner.headers)
        assert revoke.status_code == 204
    assert client.post(path, json=to_stranger, headers=owner.headers).status_code == 201
    with pytest.raises(LimitReached):
        share_with(file, "one-too-many", clock)


@pytest.mark.parametrize("listing", ["links", "shares"])
def test_a_files_links_and_shares_lists_page_with_a_cursor_bound_to_the_file(
    client: TestClient,
    file: FileRecord,
    upload: Upload,
    owner: ApiUser,
    clock: FakeClock,
    listing: str,
) -> None:
    for n in range(3):
        if listing == "links":
            new_link(file, clock)
        else:
            share_with(file, f"user-{n}", clock)
        clock.advance(1)
    path = f"/files/{file.file_id}/{listing}"
    first = client.get(path, params={"limit": 2}, headers=owner.headers)
    assert first.status_code == 200 and len(first.json()["items"]) == 2
    cursor = first.json()["nextCursor"]
    second = client.get(path, params={"limit": 2, "cursor": cursor}, headers=owner.headers)
    assert len(second.json()["items"]) == 1 and second.json()["nextCursor"] is None
    everything = client.get(path, headers=owner.headers).json()
    assert everything["items"] == first.json()["items"] + second.json()["items"]
    assert everything["nextCursor"] is None
    other = upload(owner)["fileId"]
    foreign = client.get(
        f"/files/{other}/{listing}", params={"cursor": cursor}, headers=owner.headers
    )
    assert foreign.status_code == 400 and foreign.json()["code"] == "invalid_cursor"
    too_big = client.get(path, params={"limit": 101}, headers=owner.headers)
    assert too_big.status_code == 422


def test_deleting_a_file_for_good_deletes_its_limit_counters(
    client: TestClient, file: FileRecord, owner: ApiUser, clock: FakeClock
) -> None:
    new_link(file, clock)
    share_with(file, "someone", clock)
    key = {"pk": {"S": f"FILE#{file.file_id}"}, "sk": {"S": limits.SORT_KEY}}
    table = db.table_name()
    assert "Item" in db.dynamodb().get_item(TableName=table, Key=key, ConsistentRead=True)
    assert client.delete(f"/files/{file.file_id}", headers=owner.headers).status_code == 204
    assert client.delete(f"/trash/{file.file_id}", headers=owner.headers).status_code == 204
    assert "Item" not in db.dynamodb().get_item(TableName=table, Key=key, ConsistentRead=True)
