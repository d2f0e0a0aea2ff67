"""GET /admin/stats: totals that follow uploads, links and new users, read from a bounded
number of small items however big the table is."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.admin import stats
from app.clock import utcnow
from app.files import repository as files
from app.files import service
from app.stats import counters
from tests.admin.conftest import Reads
from tests.conftest import ApiUser
from tests.files.conftest import Uploaded


def totals(client: TestClient, admin: ApiUser) -> dict[str, Any]:
    response = client.get("/admin/stats", headers=admin.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def link(client: TestClient, owner: ApiUser, file_id: str, **body: Any) -> str:
    response = client.post(
        f"/files/{file_id}/links", json={"expiresIn": 3600, **body}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


def test_uploads_and_links_count_as_they_happen_and_the_rest_at_the_next_recount(
    client: TestClient,
    admin: ApiUser,
    member: ApiUser,
    uploaded: Uploaded,
    make_user: Callable[..., ApiUser],
) -> None:
    stats.recount(utcnow())
    before = totals(client, admin)

    first, second = uploaded(member, data=b"12345"), uploaded(member, data=b"1234567")
    revoked = link(client, member, first["fileId"])
    link(client, member, first["fileId"])
    once = link(client, member, first["fileId"], maxDownloads=1)
    goes_with_its_file = link(client, member, second["fileId"])
    client.delete(f"/files/{first['fileId']}/links/{revoked}", headers=member.headers)
    assert client.post(f"/links/{once}/download").status_code == 200  # its only download
    record = files.get_file(second["fileId"])
    assert record is not None and goes_with_its_file
    service.delete_file(record)  # for good, with its link
    make_user("newcomer")

    moved = totals(client, admin)
    assert moved["uploadsLast24h"] - before["uploadsLast24h"] == 2
    assert moved["activeLinks"] - before["activeLinks"] == 1  # 4 made; revoked, used, gone
    assert (moved["users"], moved["files"], moved["bytes"]) == (
        before["users"],
        before["files"],
        before["bytes"],
    )  # until the next recount

    stats.recount(utcnow())
    after = totals(client, admin)
    assert after["users"] - before["users"] == 1
    assert after["files"] - before["files"] == 1  # the second went for good
    assert after["bytes"] - before["bytes"] == 5
    assert after["countedAt"] > before["countedAt"]


def test_the_worker_recounts_only_once_the_last_count_is_old_enough() -> None:
    now = utcnow()
    stats.recount(now)
    assert stats.recount_if_due(now + timedelta(seconds=299)) is False
    assert stats.recount_if_due(now + timedelta(seconds=300)) is True
    last = counters.totals()
    assert last is not None and last.counted_at == now + timedelta(seconds=300)


def test_a_link_counts_until_the_window_of_its_expiry_ends(aws: object) -> None:
    expires = utcnow() + timedelta(days=30)  # beyond any other link's expiry: only this one
    end = datetime.fromtimestamp(counters.window(expires) + counters.WINDOW_SECONDS, UTC)
    counters.link_opened(expires)

    assert counters.links_active(expires - timedelta(days=1)) == 1
    assert counters.links_active(end - timedelta(microseconds=1)) == 1  # expired, still counted
    assert counters.links_active(end) == 0

    counters.links_closed([expires])
    assert counters.links_active(expires - timedelta(days=1)) == 0


def test_an_upload_counts_for_a_day_give_or_take_its_window(aws: object) -> None:
    far = utcnow() + timedelta(days=60)  # a day of its own: no other test uploads then
    counters.upload_verified(far - timedelta(hours=25))
    counters.upload_verified(far - timedelta(hours=23, minutes=45))
    counters.upload_verified(far)
    assert counters.uploads_in_last_day(far) == 2


def test_the_totals_read_three_small_things_and_never_scan(
    client: TestClient, admin: ApiUser, reads: Reads
) -> None:
    totals(client, admin)
    operations = [name for name, _ in reads.calls]
    assert sorted(set(operations)) == ["GetItem", "Query"]
    assert operations.count("Query") == 2
    # At most 145 upload windows (a day) and 1009 link windows (the longest link, 7 days).
    assert sum(count for name, count in reads.calls if name == "Query") <= 145 + 1009
