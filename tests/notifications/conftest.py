"""Fixtures for notification tests (`queue`, emptied around each test, is tests/conftest.py's):
users with verified addresses made without HTTP; the emails moto's SES keeps; sample events."""

import copy
import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_string, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import ValidationError

from app.access import shares
from app.access.shares import ShareRecord
from app.clock import iso, utcnow
from app.local.bootstrap import LocalResources
from app.notifications import messages
from app.notifications.messages import Invitation, SharedWithYou
from app.users import repository as users
from tests.conftest import drain, reload_settings, unique_email

BASE_URL = "https://files.example.com"
EVENTS = Path(__file__).parents[1] / "events"
# The ids tests/events/sqs_notifications_batch.json names: its recipient, and the sharer.
SAMPLE_RECIPIENT = "10000000-0000-4000-8000-00000000000a"
SAMPLE_OWNER = "10000000-0000-4000-8000-00000000000b"
__all__ = ["drain"]  # the notification tests' helper, from tests/conftest.py


@pytest.fixture
def base_url(aws: LocalResources) -> Iterator[str]:
    """PUBLIC_BASE_URL as template.yaml sets it for the sender (tests run without one)."""
    os.environ["PUBLIC_BASE_URL"] = BASE_URL
    reload_settings()
    yield BASE_URL
    os.environ.pop("PUBLIC_BASE_URL")
    reload_settings()


class Mailbox:
    """The emails moto's SES took since the fixture started (it keeps them in its backend)."""

    def __init__(self) -> None:
        self.start = len(self._store())

    @staticmethod
    def _store() -> list[Any]:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)

    def sent(self) -> list[EmailMessage]:
        return [
            message_from_string(m.raw_data, _class=EmailMessage, policy=policy.default)
            for m in self._store()[self.start :]
        ]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.sent() if m["To"] == address]


@pytest.fixture
def mailbox(base_url: str, queue: str) -> Mailbox:
    return Mailbox()


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


@dataclass(frozen=True)
class Person:
    user_id: str
    email: str
    name: str | None


@pytest.fixture
def person(aws: LocalResources) -> Callable[..., Person]:
    """A user with a profile whose address is verified (what the sign-up trigger leaves)."""

    def make(name: str | None = None, *, verified: bool = True, user_id: str = "") -> Person:
        user_id, email = user_id or str(uuid.uuid4()), unique_email("notified")
        users.save_profile(user_id, email, name)
        if verified:
            users.set_verified_email(user_id, email)
        return Person(user_id, email, name)

    return make


Announcement = TypeVar("Announcement", SharedWithYou, Invitation)


def standing(message: Announcement) -> Announcement:
    """`message`, with the share (or invitation) it announces stored as the API leaves it: the
    sender emails only what still stands."""
    pending = isinstance(message, Invitation)
    shares.create_share(
        ShareRecord(
            file_id=message.subject_id,
            user_id="" if isinstance(message, Invitation) else message.recipient_id,
            email=message.email if isinstance(message, Invitation) else "",
            owner_id=message.owner_id,
            shared_at=iso(utcnow()),
            pending=pending,
        )
    )
    return message


def sample_event(replace: dict[str, str] | None = None) -> dict[str, Any]:
    """tests/events/sqs_notifications_batch.json, with its sample ids replaced, and the shares
    and invitations its messages announce stored."""
    text = (EVENTS / "sqs_notifications_batch.json").read_text()
    for sample, real in (replace or {}).items():
        text = text.replace(sample, real)
    event: dict[str, Any] = json.loads(text)
    for record in event["Records"]:
        try:
            message = messages.decode(record["body"])
        except ValidationError:
            continue
        if isinstance(message, SharedWithYou | Invitation):
            standing(message)
    return event


def with_records(event: dict[str, Any], bodies: list[str]) -> dict[str, Any]:
    """`event` with one record per body, shaped as its first record."""
    changed = copy.deepcopy(event)
    template = changed["Records"][0]
    changed["Records"] = [
        template | {"body": body, "messageId": f"msg-{i}", "receiptHandle": f"handle-{i}"}
        for i, body in enumerate(bodies)
    ]
    return changed
