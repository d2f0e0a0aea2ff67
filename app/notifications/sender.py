"""What each queued message becomes: at most one email, to whoever should get it now."""

import logging
from datetime import datetime

from app.access import shares
from app.notifications import digests, emails, mailer
from app.notifications.messages import (
    Invitation,
    Notification,
    RequestFlush,
    RequestReceived,
    SharedWithYou,
    UploadRejected,
)


def deliver(message: Notification, now: datetime) -> None:
    """Send what `message` announces (ses.SendFailed when SES refuses: retry the message)."""
    if isinstance(message, SharedWithYou):
        shared(message)
    elif isinstance(message, Invitation):
        invite(message)
    elif isinstance(message, RequestReceived):
        digests.receive(message, int(now.timestamp()))
    elif isinstance(message, RequestFlush):
        digests.flush(message, int(now.timestamp()))
    else:
        rejected(message)


log = logging.getLogger("sharebox.notifications")


def _still_shared(subject_id: str, member: str) -> bool:
    """Whether the share (or invitation) the message announces still stands: one taken back
    before its email went out must not name the file to that person."""
    if shares.get_share(subject_id, member) is not None:
        return True
    log.info("no email: the share of %s was taken back before it was sent", subject_id)
    return False


def _subject_link(subject_type: str, subject_id: str) -> str:
    return mailer.link(f"#/{subject_type}/{subject_id}")


def shared(message: SharedWithYou) -> None:
    if not _still_shared(message.subject_id, message.recipient_id):
        return
    recipient = mailer.account_holder(message.recipient_id, "shares")
    if recipient is None:
        return
    owner = mailer.display_name(message.owner_id)
    link = _subject_link(message.subject_type, message.subject_id)
    mailer.send(recipient, emails.shared(owner, message.subject_type, message.name, link))


def invite(message: Invitation) -> None:
    if not _still_shared(message.subject_id, shares.invitee(message.email)):
        return  # withdrawn, or delivered already: the address has signed up meanwhile
    recipient = mailer.invitee(message.email)
    if recipient is None:
        return
    owner = mailer.display_name(message.owner_id)
    content = emails.invitation(
        owner, message.subject_type, message.name, message.email, mailer.link("#/signup")
    )
    mailer.send(recipient, content)


def rejected(message: UploadRejected) -> None:
    recipient = mailer.account_holder(message.owner_id, "rejections")
    if recipient is None:
        return
    link = mailer.link("#/files")
    mailer.send(recipient, emails.rejected(message.file_name, message.reason, link))
