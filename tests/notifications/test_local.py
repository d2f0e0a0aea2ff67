"""`make run`'s emails: its poller hands the notifications queue to the notifications handler,
the emulator's SES keeps what was sent, the log and `GET /local/emails` show it."""

import logging
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.clock import utcnow
from app.local import background, emails
from app.main import create_app
from app.notifications import outbox, sender
from app.notifications.messages import SharedWithYou, UploadRejected
from tests.conftest import trust_moto_tokens
from tests.notifications.conftest import Mailbox, Person, standing


def test_make_runs_poller_delivers_queued_notifications_to_the_sender(
    mailbox: Mailbox, person: Callable[..., Person], caplog: pytest.LogCaptureFixture
) -> None:
    owner, recipient = person("Ann"), person()
    background.start()
    try:
        poller = background._notifications_poller
        assert poller is not None and poller.running
        with caplog.at_level(logging.INFO, "sharebox.notifications"):
            assert outbox.enqueue(
                standing(
                    SharedWithYou(
                        recipient_id=recipient.user_id,
                        owner_id=owner.user_id,
                        subject_type="folder",
                        subject_id="d-1",
                        name="Trip <2026>",
                    )
                )
            )
            deadline = time.monotonic() + 20  # a bound for a loaded machine, not a target
            while not mailbox.to(recipient.email) and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        background.stop()

    (sent,) = mailbox.to(recipient.email)
    assert sent["Subject"] == "Ann shared “Trip <2026>” with you"
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("email sent")]
    assert logged and logged[0].startswith(f"email sent to {recipient.email}: Ann shared")
    assert "Open the folder: https://files.example.com/#/folder/d-1" in logged[0]
    assert background._notifications_poller is None


def test_the_local_emails_page_lists_what_was_sent_newest_first(
    mailbox: Mailbox, person: Callable[..., Person]
) -> None:
    me = person()
    for name in ("first<1>.png", "second.png"):
        sender.deliver(
            UploadRejected(owner_id=me.user_id, file_id="f", file_name=name, reason="x"),
            utcnow(),
        )
    app = create_app()
    trust_moto_tokens(app)
    emails.mount(app)

    with TestClient(app) as local:
        page = local.get("/local/emails")

    assert page.status_code == 200
    second = page.text.index("Your upload “second.png” was rejected")
    first = page.text.index("Your upload “first&lt;1&gt;.png” was rejected")
    assert second < first
    assert f"To {me.email}" in page.text
    assert '<a href="https://files.example.com/#/files">' in page.text
    assert "/local/emails" not in create_app().openapi()["paths"]
