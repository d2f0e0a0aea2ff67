"""Share items: idempotent creation, consistent checks, and a "shared with me" index Query."""

import uuid

import pytest

from app import db
from app.access import shares
from app.clock import iso
from app.local.bootstrap import LocalResources
from tests.shares.conftest import FakeClock


def share(file_id: str, user_id: str, clock: FakeClock) -> shares.ShareRecord:
    record = shares.ShareRecord(
        file_id=file_id,
        user_id=user_id,
        email=f"{user_id}@example.com",
        owner_id="owner-1",
        shared_at=iso(clock()),
    )
    stored, _ = shares.create_share(record)
    return stored


def test_sharing_twice_keeps_the_first_share(aws: LocalResources, clock: FakeClock) -> None:
    file_id, user_id = str(uuid.uuid4()), str(uuid.uuid4())
    first = share(file_id, user_id, clock)
    clock.advance(5)
    again = shares.ShareRecord(file_id, user_id, "x@example.com", "owner-1", iso(clock()))
    stored, created = shares.create_share(again)
    assert created is False
    assert stored == first


def test_revoking_a_share_takes_effect_on_the_next_check(
    aws: LocalResources, clock: FakeClock
) -> None:
    file_id, user_id = str(uuid.uuid4()), str(uuid.uuid4())
    assert shares.is_shared_with(file_id, user_id) is False
    share(file_id, user_id, clock)
    assert shares.is_shared_with(file_id, user_id) is True
    assert shares.delete_share(file_id, user_id) is not None
    assert shares.is_shared_with(file_id, user_id) is False
    assert shares.delete_share(file_id, user_id) is None


def test_a_files_shares_are_listed_and_purged(aws: LocalResources, clock: FakeClock) -> None:
    file_id = str(uuid.uuid4())
    for user_id in ("a", "b", "c"):
        share(file_id, user_id, clock)
        clock.advance(1)
    assert [s.user_id for s in shares.page_shares(file_id, 100, None).items] == ["a", "b", "c"]
    assert shares.delete_file_shares(file_id) == 3
    assert shares.page_shares(file_id, 100, None).items == []
    assert shares.shared_with("a", 10, None).file_ids == []


def test_shared_with_me_pages_newest_first(aws: LocalResources, clock: FakeClock) -> None:
    user_id = str(uuid.uuid4())
    file_ids = [str(uuid.uuid4()) for _ in range(3)]
    for file_id in file_ids:
        share(file_id, user_id, clock)
        clock.advance(1)
    first = shares.shared_with(user_id, 2, None)
    assert first.file_ids == [file_ids[2], file_ids[1]]
    second = shares.shared_with(user_id, 2, first.last_key)
    assert second.file_ids == [file_ids[0]]
    assert second.last_key is None


@pytest.fixture(scope="module")
def crowded_table(aws: LocalResources) -> int:
    """Thousands of other users' shares and other files' items around the caller's rows."""
    clock = FakeClock()
    requests = []
    for n in range(3000):
        other_file, other_user = f"noise-{n}", f"noise-user-{n % 300}"
        values = {
            "pk": f"FILE#{other_file}",
            "sk": f"SHARE#{other_user}" if n % 2 else "META",
            "gsi1pk": f"SHARED#{other_user}" if n % 2 else f"OWNER#{other_user}",
            "gsi1sk": f"{iso(clock())}#{other_file}",
            "fileId": other_file,
            "userId": other_user,
            "ownerId": "noise-owner",
            "sharedAt": iso(clock()),
        }
        requests.append({"PutRequest": {"Item": db.to_item(values)}})
    for start in range(0, len(requests), 25):
        db.dynamodb().batch_write_item(RequestItems={db.table_name(): requests[start : start + 25]})
    return len(requests)


def test_shared_with_me_reads_only_the_callers_rows(crowded_table: int, clock: FakeClock) -> None:
    user_id = str(uuid.uuid4())
    for _ in range(7):
        share(str(uuid.uuid4()), user_id, clock)
        clock.advance(1)
    table_size = db.dynamodb().describe_table(TableName=db.table_name())["Table"]["ItemCount"]
    assert table_size >= crowded_table
    page = shares.shared_with(user_id, 50, None)
    assert len(page.file_ids) == 7
    assert page.scanned_count == 7
    first_half = shares.shared_with(user_id, 4, None)
    assert first_half.scanned_count == 5  # the page and one row to know more exist
