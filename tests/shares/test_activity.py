"""The access log is one Query per page, newest first."""

from app.activity import log as activity
from app.local.bootstrap import LocalResources
from tests.shares.conftest import FakeClock


def test_the_log_pages_newest_first(aws: LocalResources, clock: FakeClock, new_id: str) -> None:
    actions: list[activity.Action] = ["shared", "link_created", "link_downloaded"]
    for action in actions:
        activity.record(
            new_id, action, actor=activity.Actor(user_id="u1"), ip="203.0.113.9", at=clock()
        )
        clock.advance(1)
    first = activity.page(new_id, 2, None)
    assert [entry.action for entry in first.items] == ["link_downloaded", "link_created"]
    assert first.last_key is not None
    second = activity.page(new_id, 2, first.last_key)
    assert [entry.action for entry in second.items] == ["shared"]
    assert second.items[0].actor == activity.Actor(user_id="u1")
    assert second.items[0].ip == "203.0.113.9"
    assert second.last_key is None


def test_a_full_last_page_hands_out_no_key(
    aws: LocalResources, clock: FakeClock, new_id: str
) -> None:
    for _ in range(2):
        activity.record(
            new_id, "downloaded", actor=activity.Actor(user_id="u"), ip=None, at=clock()
        )
        clock.advance(1)
    assert activity.page(new_id, 2, None).last_key is None


def test_entries_in_the_same_microsecond_are_all_kept(
    aws: LocalResources, clock: FakeClock, new_id: str
) -> None:
    for _ in range(3):
        activity.record(
            new_id, "downloaded", actor=activity.Actor(link_token="t"), ip=None, at=clock()
        )
    assert len(activity.page(new_id, 10, None).items) == 3
