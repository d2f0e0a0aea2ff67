"""Each queued message becomes at most one email, sent through (moto's) SES to whoever should
get it at send time: preferences, verified addresses and unsubscribed invitees honoured."""

import os
from collections.abc import Callable, Iterator

import pytest

from app.access import limits
from app.access.shares import ShareRecord
from app.clock import utcnow
from app.notifications import repository, sender
from app.notifications.mailer import NotConfigured
from app.notifications.messages import Invitation, SharedWithYou, UploadRejected
from app.users import repository as users
from tests.conftest import reload_settings
from tests.notifications.conftest import BASE_URL, Mailbox, Person, html_of, standing, text_of

Make = Callable[..., Person]


def shared_with(recipient: Person, owner: Person, name: str = "report.pdf") -> SharedWithYou:
    """The message of a share that stands."""
    return standing(
        SharedWithYou(
            recipient_id=recipient.user_id,
            owner_id=owner.user_id,
            subject_type="file",
            subject_id="f-1",
            name=name,
        )
    )


def test_a_share_emails_the_recipients_verified_address_naming_the_owner(
    mailbox: Mailbox, person: Make
) -> None:
    owner, recipient = person("Ann <Owner>"), person("Bo")

    sender.deliver(shared_with(recipient, owner, "plan <b>.pdf"), utcnow())

    (email,) = mailbox.to(recipient.email)
    assert email["Subject"] == "Ann <Owner> shared “plan <b>.pdf” with you"
    assert "Hi Bo," in text_of(email)
    assert f"Open the file: {BASE_URL}/#/file/f-1" in text_of(email)
    assert "Ann &lt;Owner&gt; shared the file “plan &lt;b&gt;.pdf”" in html_of(email)
    unsubscribe = email["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{BASE_URL}/unsubscribe/") and unsubscribe.endswith(">")
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_owner_without_a_name_is_named_by_address(mailbox: Mailbox, person: Make) -> None:
    owner, recipient = person(), person()

    sender.deliver(shared_with(recipient, owner), utcnow())

    (email,) = mailbox.to(recipient.email)
    assert email["Subject"] == f"{owner.email} shared “report.pdf” with you"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("shares", lambda me, other: shared_with(me, other)),
        (
            "rejections",
            lambda me, other: UploadRejected(
                owner_id=me.user_id, file_id="f", file_name="x.png", reason="size_mismatch"
            ),
        ),
    ],
)
def test_a_kind_turned_off_sends_nothing(
    mailbox: Mailbox, person: Make, kind: str, message: Callable[[Person, Person], object]
) -> None:
    me, other = person(), person()
    users.update_profile(me.user_id, notifications={kind: False})

    sender.deliver(message(me, other), utcnow())  # type: ignore[arg-type]

    assert mailbox.sent() == []


def test_a_kind_turned_off_leaves_the_others_on(mailbox: Mailbox, person: Make) -> None:
    me = person()
    users.update_profile(me.user_id, notifications={"shares": False})

    sender.deliver(
        UploadRejected(
            owner_id=me.user_id, file_id="f", file_name="x.png", reason="quota_exceeded"
        ),
        utcnow(),
    )

    (email,) = mailbox.to(me.email)
    assert email["Subject"] == "Your upload “x.png” was rejected"
    assert "did not fit in your storage quota" in text_of(email)


def test_a_user_who_is_gone_or_has_no_verified_address_gets_nothing(
    mailbox: Mailbox, person: Make
) -> None:
    owner, unverified = person(), person(verified=False)
    gone = Person("no-such-user", "gone@example.com", None)

    sender.deliver(shared_with(unverified, owner), utcnow())
    sender.deliver(shared_with(gone, owner), utcnow())

    assert mailbox.sent() == []


def test_an_invitation_goes_to_the_bare_address_until_it_unsubscribes(
    mailbox: Mailbox, person: Make
) -> None:
    owner = person("Ann")
    invite = standing(
        Invitation(
            email="new.person@example.com",
            owner_id=owner.user_id,
            subject_type="folder",
            subject_id="d-1",
            name="Trip",
        )
    )

    sender.deliver(invite, utcnow())
    repository.suppress_invitations("New.Person@example.com")
    sender.deliver(invite, utcnow())

    (email,) = mailbox.sent()
    assert email["To"] == "new.person@example.com"
    assert email["Subject"] == "Ann shared “Trip” with you on Sharebox"
    assert f"Create an account: {BASE_URL}/#/signup" in text_of(email)


@pytest.fixture
def no_sender(mailbox: Mailbox) -> Iterator[None]:
    before = os.environ.pop("SENDER_EMAIL")
    reload_settings()
    yield
    os.environ["SENDER_EMAIL"] = before
    reload_settings()


def test_without_a_sender_address_nothing_is_sent_and_nothing_fails(
    no_sender: None, mailbox: Mailbox, person: Make
) -> None:
    sender.deliver(shared_with(person(), person()), utcnow())
    assert mailbox.sent() == []


def test_without_a_public_base_url_the_message_fails_for_a_retry(person: Make) -> None:
    with pytest.raises(NotConfigured):
        sender.deliver(shared_with(person(), person()), utcnow())


# The sender reads who gets an email at send time, but not whether the share still stands:
# a share undone before its email goes out (the batch window, or SES's backoff of up to 15
# minutes a retry) still names the file to the one it was taken back from.
UNSHARED_STILL_EMAILED = "a share or invitation undone before its email is sent is still emailed"


def test_a_share_revoked_before_its_email_is_sent_emails_nothing(
    mailbox: Mailbox, person: Make
) -> None:
    owner, recipient = person("Ann"), person("Bo")
    message = shared_with(recipient, owner, "layoffs-2026.xlsx")
    record = ShareRecord(
        file_id=message.subject_id,
        user_id=recipient.user_id,
        email=recipient.email,
        owner_id=owner.user_id,
        shared_at="2026-01-01T00:00:00Z",
    )
    limits.add_share(record)
    limits.remove_share(record.file_id, record.member)  # a slip of the owner's, undone at once

    sender.deliver(message, utcnow())

    assert mailbox.to(recipient.email) == []


def test_an_invitation_withdrawn_before_its_email_is_sent_emails_nothing(
    mailbox: Mailbox, person: Make
) -> None:
    owner, address = person("Ann"), "wrong.person@example.com"
    record = ShareRecord(
        file_id="f-withdrawn",
        user_id="",
        email=address,
        owner_id=owner.user_id,
        shared_at="2026-01-01T00:00:00Z",
        pending=True,
    )
    limits.add_share(record)
    limits.remove_share(record.file_id, record.member)

    invitation = Invitation(
        email=address,
        owner_id=owner.user_id,
        subject_type="file",
        subject_id=record.file_id,
        name="layoffs-2026.xlsx",
    )
    sender.deliver(invitation, utcnow())

    assert mailbox.to(address) == []
