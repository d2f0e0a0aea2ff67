"""Files received through a request: at most one email per request per 10 minutes. The rules
as pure decisions first, then the sender on moto, with the time given as a clock would."""

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.stub import Stubber

from app.aws import client
from app.local.atomic import serialize_dynamodb
from app.notifications import digests, sender
from app.notifications.digests import WINDOW_SECONDS, after_flush, on_flush, on_receipt
from app.notifications.messages import RequestFlush, RequestReceived, decode
from app.notifications.repository import MAX_NAMED, Window, get_window
from app.notifications.ses import SendFailed
from tests.notifications.conftest import Mailbox, Person, text_of

T0 = 1_800_000_000  # epoch seconds; the decisions take the time as an argument


def test_the_first_file_after_a_quiet_spell_is_emailed_at_once() -> None:
    plan = on_receipt(Window(), "f1", "a.pdf", T0)

    assert plan is not None
    assert plan.send == (("a.pdf",), 1) and plan.schedule is None
    assert plan.window.last_sent_at == T0 and plan.window.waiting_count == 0


def test_a_file_inside_the_window_waits_and_schedules_one_flush_at_its_end() -> None:
    opened = Window(last_sent_at=T0, version=1)

    second = on_receipt(opened, "f2", "b.pdf", T0 + 60)
    assert second is not None and second.send is None
    assert second.schedule is not None and second.schedule[1] == T0 + WINDOW_SECONDS
    assert (second.window.waiting, second.window.waiting_count) == (("b.pdf",), 1)
    assert second.window.flush_id == second.schedule[0]

    third = on_receipt(second.window, "f3", "c.pdf", T0 + 120)
    assert third is not None and third.send is None and third.schedule is None
    assert (third.window.waiting, third.window.waiting_count) == (("b.pdf", "c.pdf"), 2)


def test_a_redelivered_receipt_is_not_counted_twice() -> None:
    waiting = on_receipt(Window(last_sent_at=T0, version=1), "f2", "b.pdf", T0 + 1)
    assert waiting is not None

    assert on_receipt(waiting.window, "f2", "b.pdf", T0 + 2) is None


def test_names_are_capped_but_every_file_is_counted() -> None:
    window = Window(last_sent_at=T0, version=1)
    for n in range(MAX_NAMED + 5):
        plan = on_receipt(window, f"f{n}", f"{n}.txt", T0 + 1)
        assert plan is not None
        window = plan.window

    assert len(window.waiting) == MAX_NAMED and window.waiting_count == MAX_NAMED + 5


def test_a_flush_lost_for_an_hour_is_replaced_by_the_next_receipt() -> None:
    stuck = Window(last_sent_at=T0, waiting=("b",), waiting_count=1, flush_id="old", flush_at=T0)

    plan = on_receipt(stuck, "f3", "c", T0 + 3601 + WINDOW_SECONDS)

    assert plan is not None and plan.schedule is not None
    assert plan.window.flush_id not in (None, "old")


def test_a_flush_that_is_not_the_awaited_one_does_nothing() -> None:
    awaited = Window(last_sent_at=T0, waiting=("b",), waiting_count=1, flush_id="x", flush_at=T0)
    assert on_flush(awaited, "y", T0 + WINDOW_SECONDS) is None


def test_a_due_flush_sends_what_waited_and_opens_the_next_window() -> None:
    awaited = Window(
        last_sent_at=T0, waiting=("b", "c"), waiting_count=3, flush_id="x", flush_at=T0 + 600
    )

    plan = on_flush(awaited, "x", T0 + WINDOW_SECONDS)

    assert plan is not None and plan.send == (("b", "c"), 3) and plan.schedule is None
    assert plan.window == Window(last_sent_at=T0 + WINDOW_SECONDS, last_waiting_id=None)


def test_a_flush_early_for_a_newer_window_is_put_off_to_its_end() -> None:
    newer = Window(last_sent_at=T0 + 300, waiting=("b",), waiting_count=1, flush_id="x")

    plan = on_flush(newer, "x", T0 + 600)

    assert plan is not None and plan.send is None
    assert plan.schedule is not None and plan.schedule[1] == T0 + 300 + WINDOW_SECONDS


def test_files_that_arrived_while_a_flush_was_sending_wait_for_the_next_one() -> None:
    meanwhile = Window(last_sent_at=T0, waiting=("b", "c"), waiting_count=2, flush_id="x")

    plan = after_flush(meanwhile, (("b",), 1), T0 + 600)

    assert plan.window.waiting == ("c",) and plan.window.waiting_count == 1
    assert plan.schedule is not None and plan.schedule[1] == T0 + 600 + WINDOW_SECONDS


# ---------------------------------------------------------------- the sender, on moto


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(T0 + seconds, UTC)


@pytest.fixture
def request_owner(person: Callable[..., Person]) -> Person:
    return person("Rita")


def receipt(owner: Person, token: str, name: str, **more: Any) -> RequestReceived:
    return RequestReceived(
        owner_id=owner.user_id,
        request_token=token,
        title="Tax papers",
        file_id=str(uuid.uuid4()),
        file_name=name,
        folder_id="d-1",
        **more,
    )


@contextmanager
def scheduled(expected: int = 1) -> Iterator[list[dict[str, Any]]]:
    """The delayed flushes queued inside the block, kept from moto's queue (moto would hold
    them for real minutes): each SendMessage's parameters."""
    sqs, sent = client("sqs"), []

    def keep(params: dict[str, Any], **_: Any) -> None:
        sent.append(dict(params))

    sqs.meta.events.register("provide-client-params.sqs.SendMessage", keep)
    try:
        with Stubber(sqs) as stub:
            for n in range(expected):
                stub.add_response("send_message", {"MessageId": f"m-{n}"})
            yield sent
    finally:
        sqs.meta.events.unregister("provide-client-params.sqs.SendMessage", keep)


def test_two_receipts_in_ten_minutes_are_one_email_now_and_one_flush_naming_the_second(
    mailbox: Mailbox, request_owner: Person, queue: str
) -> None:
    token = uuid.uuid4().hex
    sender.deliver(receipt(request_owner, token, "w2.pdf", uploader_name="Bea"), at(0))
    with scheduled() as queued:
        sender.deliver(receipt(request_owner, token, "1099.pdf"), at(60))

    (first,) = mailbox.to(request_owner.email)
    assert first["Subject"] == "“w2.pdf” arrived through your request “Tax papers”"
    assert "Bea sent a file" in text_of(first)
    (params,) = queued
    assert params["QueueUrl"] == queue and params["DelaySeconds"] == WINDOW_SECONDS - 60
    flush = decode(params["MessageBody"])
    assert isinstance(flush, RequestFlush) and flush.request_token == token

    sender.deliver(flush, at(WINDOW_SECONDS))

    _, second = mailbox.to(request_owner.email)
    assert second["Subject"] == "“1099.pdf” arrived through your request “Tax papers”"
    assert "• 1099.pdf" in text_of(second) and "w2.pdf" not in text_of(second)
    assert "See what arrived: https://files.example.com/#/folder/d-1" in text_of(second)
    assert get_window(token).waiting_count == 0
    sender.deliver(flush, at(WINDOW_SECONDS + 5))  # a redelivered flush sends nothing more
    assert len(mailbox.to(request_owner.email)) == 2


def test_ses_refusing_the_flush_keeps_the_files_waiting_for_its_retry(
    mailbox: Mailbox, request_owner: Person, queue: str
) -> None:
    token = uuid.uuid4().hex
    sender.deliver(receipt(request_owner, token, "a.txt"), at(0))
    with scheduled() as queued:
        sender.deliver(receipt(request_owner, token, "b.txt"), at(10))
    flush = decode(queued[0]["MessageBody"])

    with Stubber(client("sesv2")) as ses, pytest.raises(SendFailed) as refused:
        ses.add_client_error("send_email", "TooManyRequestsException", "Maximum sending rate")
        sender.deliver(flush, at(WINDOW_SECONDS))

    assert (refused.value.code, refused.value.reason) == (
        "TooManyRequestsException",
        "Maximum sending rate",
    )
    assert get_window(token).waiting == ("b.txt",)
    sender.deliver(flush, at(WINDOW_SECONDS + 30))  # the retry
    assert [m["Subject"] for m in mailbox.to(request_owner.email)][-1].startswith("“b.txt”")


def test_turned_off_request_emails_still_close_the_window(
    mailbox: Mailbox, person: Callable[..., Person], queue: str
) -> None:
    from app.users import repository as users

    quiet = person()
    users.update_profile(quiet.user_id, notifications={"requests": False})
    token = uuid.uuid4().hex

    sender.deliver(receipt(quiet, token, "a.txt"), at(0))

    assert mailbox.sent() == []
    assert get_window(token).last_sent_at == T0


@pytest.fixture
def atomic_dynamodb() -> Iterator[None]:
    """Each moto DynamoDB call atomic, as on AWS; else this would test moto's races."""
    undo = serialize_dynamodb()
    yield
    undo()


def test_receipts_racing_in_a_quiet_spell_send_one_email_and_the_rest_wait(
    mailbox: Mailbox, request_owner: Person, atomic_dynamodb: None, queue: str
) -> None:
    token, racers = uuid.uuid4().hex, 4
    start = threading.Barrier(racers)

    def receive(n: int) -> None:
        start.wait()
        digests.receive(receipt(request_owner, token, f"{n}.txt"), T0)

    with scheduled(expected=racers) as queued:
        threads = [threading.Thread(target=receive, args=(n,)) for n in range(racers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert len(mailbox.to(request_owner.email)) == 1
    window = get_window(token)
    assert window.waiting_count == racers - 1 and len(window.waiting) == racers - 1
    assert window.flush_id in {decode(p["MessageBody"]).flush_id for p in queued}  # type: ignore[union-attr]
    assert timedelta(seconds=window.flush_at - T0) == timedelta(seconds=WINDOW_SECONDS)  # type: ignore[operator]
