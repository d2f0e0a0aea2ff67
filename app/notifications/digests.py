"""Files received through an upload request: at most one email per request per 10 minutes.

The first file after a quiet spell is emailed at once and opens a 10-minute window
(`lastSentAt`). Files that arrive inside it wait on the request's Window item (their names,
capped, and a count), and the first of them schedules one delayed RequestFlush for the
window's end (SQS DelaySeconds, at most 600 of its 900). The flush emails what waited in one
email, which opens the next window.

Every change reads the item, decides (the pure `on_receipt`, `on_flush`, `after_flush`) and
writes on condition that the item is still the version read; on a lost race it reads again.
So two receipts never both email at once, and a receipt racing a flush is either in that
flush's email or waits for the next. A flush is queued before the write that names it
(a flush no write names finds another id and does nothing), so a window never waits for a
flush that was never queued; one lost anyway (dead-lettered) is replaced by the next receipt
an hour on. A receipt's email is sent after its write: if SES refuses, the retried receipt
waits for the window's flush instead. A flush's email is sent before its write, so SES
refusing it leaves the waiting files in place for the retry.
"""

import logging
import uuid
from dataclasses import dataclass, replace

from app.notifications import mailer, outbox
from app.notifications.emails import request_received
from app.notifications.messages import RequestFlush, RequestReceived
from app.notifications.repository import MAX_NAMED, Window, get_window, put_window

log = logging.getLogger("sharebox.notifications")

WINDOW_SECONDS = 600
LOST_AFTER_SECONDS = 3600  # a flush this overdue was lost: the next receipt schedules another
MAX_DELAY_SECONDS = 900  # SQS's largest DelaySeconds
_ATTEMPTS = 5


class Contended(RuntimeError):
    """The window kept changing under this message, or its flush could not be queued:
    the message is retried."""


@dataclass(frozen=True)
class Plan:
    """What one message does: the window to write, then the email to send (names, count),
    and the flush to queue before the write (id, epoch seconds)."""

    window: Window
    send: tuple[tuple[str, ...], int] | None = None
    schedule: tuple[str, int] | None = None


def on_receipt(state: Window, file_id: str, file_name: str, now: int) -> Plan | None:
    """A file arrived; None when this receipt is already recorded (a redelivery)."""
    if state.last_waiting_id == file_id:
        return None
    quiet = state.last_sent_at is None or now >= state.last_sent_at + WINDOW_SECONDS
    if quiet and not state.waiting_count:
        return Plan(replace(state, last_sent_at=now), send=((file_name,), 1))
    waiting = (*state.waiting, file_name) if len(state.waiting) < MAX_NAMED else state.waiting
    window = replace(
        state, waiting=waiting, waiting_count=state.waiting_count + 1, last_waiting_id=file_id
    )
    if state.flush_at is not None and now < state.flush_at + LOST_AFTER_SECONDS:
        return Plan(window)  # the scheduled flush takes it
    due = max(now, (state.last_sent_at or now) + WINDOW_SECONDS)
    flush = (uuid.uuid4().hex, due)
    return Plan(replace(window, flush_id=flush[0], flush_at=due), schedule=flush)


def on_flush(state: Window, flush_id: str, now: int) -> Plan | None:
    """The scheduled end of a window; None when this flush is not the one the window awaits."""
    if state.flush_id != flush_id:
        return None
    if not state.waiting_count:
        return Plan(replace(state, flush_id=None, flush_at=None))
    assert state.last_sent_at is not None  # files wait only inside a window
    due = state.last_sent_at + WINDOW_SECONDS
    if now < due:  # another email opened a window since this flush was scheduled
        flush = (uuid.uuid4().hex, due)
        return Plan(replace(state, flush_id=flush[0], flush_at=due), schedule=flush)
    return after_flush(state, (state.waiting, state.waiting_count), now)


def after_flush(state: Window, sent: tuple[tuple[str, ...], int], now: int) -> Plan:
    """The window once `sent` (names, count) went out at `now`: what arrived meanwhile waits
    for a flush at the new window's end."""
    names, count = sent
    rest = replace(
        state,
        last_sent_at=now,
        waiting=state.waiting[len(names) :],
        waiting_count=state.waiting_count - count,
        flush_id=None,
        flush_at=None,
    )
    if not rest.waiting_count:
        return Plan(rest, send=sent)
    flush = (uuid.uuid4().hex, now + WINDOW_SECONDS)
    return Plan(replace(rest, flush_id=flush[0], flush_at=flush[1]), send=sent, schedule=flush)


def receive(message: RequestReceived, now: int) -> None:
    """Email the file now, or keep it for the window's flush."""
    for _ in range(_ATTEMPTS):
        plan = on_receipt(
            get_window(message.request_token), message.file_id, message.file_name, now
        )
        if plan is None:
            return
        if _commit(message, plan, now):
            if plan.send:
                _email(message, plan.send, message.uploader_name)
            return
    raise Contended(f"request {message.request_token}: the window kept changing")


def flush(message: RequestFlush, now: int) -> None:
    """Email what waited for this flush, if it is still the one the window awaits."""
    sent = None
    for _ in range(_ATTEMPTS):
        state = get_window(message.request_token)
        if sent is None:
            plan = on_flush(state, message.flush_id, now)
            if plan is None:
                return
            if plan.send:  # SES refusing raises here: nothing is written, the flush is retried
                _email(message, plan.send, None)
                sent = plan.send
        elif state.flush_id != message.flush_id:
            return  # another delivery of this flush settled the window
        else:
            plan = after_flush(state, sent, now)  # what arrived while the email went out waits
        if _commit(message, plan, now):
            return
    raise Contended(f"request {message.request_token}: the window kept changing")


def _commit(message: RequestReceived | RequestFlush, plan: Plan, now: int) -> bool:
    """Queue the plan's flush, then write its window; False when the window changed."""
    if plan.schedule is not None:
        flush_id, at = plan.schedule
        scheduled = RequestFlush(
            owner_id=message.owner_id,
            request_token=message.request_token,
            title=message.title,
            folder_id=message.folder_id,
            flush_id=flush_id,
        )
        delay = min(max(at - now, 0), MAX_DELAY_SECONDS)
        if not outbox.enqueue(scheduled, delay_seconds=delay):
            raise Contended(f"request {message.request_token}: its flush could not be queued")
    return put_window(message.request_token, plan.window, now=now)


def _email(
    message: RequestReceived | RequestFlush, sent: tuple[tuple[str, ...], int], uploader: str | None
) -> None:
    recipient = mailer.account_holder(message.owner_id, "requests")
    if recipient is None:
        return
    names, count = sent
    where = f"#/folder/{message.folder_id}" if message.folder_id else "#/files"
    content = request_received(message.title, names, count, uploader, mailer.link(where))
    mailer.send(recipient, content)
