"""The download counter of a link moves only through one conditional update."""

import secrets
import threading
from datetime import timedelta

import pytest

from app.access import links
from app.local.bootstrap import LocalResources
from tests.shares.conftest import FakeClock


def make_link(
    clock: FakeClock, *, max_downloads: int | None, ttl: int = 600, file_id: str = "file-1"
) -> links.LinkRecord:
    now = clock().replace(microsecond=0)
    record = links.LinkRecord(
        token=secrets.token_urlsafe(16),
        file_id=file_id,
        owner_id="owner-1",
        created_at=now,
        expires_at=now + timedelta(seconds=ttl),
        max_downloads=max_downloads,
        downloads=0,
        password_hash=None,
    )
    links.create_link(record)
    return record


def test_a_one_download_link_counts_exactly_one_download(
    aws: LocalResources, clock: FakeClock
) -> None:
    link = make_link(clock, max_downloads=1)
    counted = links.count_download(link.token, clock())
    assert counted is not None and counted.downloads == 1
    assert links.count_download(link.token, clock()) is None
    stored = links.get_link(link.token)
    assert stored is not None and stored.downloads == 1 and not stored.usable_at(clock())


def test_a_link_without_limit_counts_every_download(aws: LocalResources, clock: FakeClock) -> None:
    link = make_link(clock, max_downloads=None)
    for expected in (1, 2, 3):
        counted = links.count_download(link.token, clock())
        assert counted is not None and counted.downloads == expected


def test_an_expired_link_counts_nothing(aws: LocalResources, clock: FakeClock) -> None:
    link = make_link(clock, max_downloads=None, ttl=60)
    clock.advance(60)
    assert links.count_download(link.token, clock()) is None
    assert links.get_link(link.token).downloads == 0  # type: ignore[union-attr]


def test_a_deleted_link_counts_nothing_and_cannot_be_deleted_through_another_file(
    aws: LocalResources, clock: FakeClock
) -> None:
    link = make_link(clock, max_downloads=None)
    assert links.delete_link(link.token, "another-file") is None
    assert links.delete_link(link.token, "file-1") is not None
    assert links.count_download(link.token, clock()) is None
    assert links.get_link(link.token) is None


@pytest.mark.parametrize("max_downloads", [1, 3])
def test_racing_downloads_never_exceed_the_limit(
    aws: LocalResources, clock: FakeClock, atomic_dynamodb: None, max_downloads: int
) -> None:
    link = make_link(clock, max_downloads=max_downloads)
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def download() -> None:
        barrier.wait()
        results.append(links.count_download(link.token, clock()) is not None)

    threads = [threading.Thread(target=download) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == max_downloads
    assert links.get_link(link.token).downloads == max_downloads  # type: ignore[union-attr]


def test_links_of_a_file_are_listed_newest_first_and_deleted_together(
    aws: LocalResources, clock: FakeClock, new_id: str
) -> None:
    first = make_link(clock, max_downloads=None, file_id=new_id)
    clock.advance(1)
    second = make_link(clock, max_downloads=None, file_id=new_id)
    assert [link.token for link in links.list_links(new_id)] == [second.token, first.token]
    assert links.delete_file_links(new_id) == 2
    assert links.list_links(new_id) == []
    assert links.get_link(first.token) is None
