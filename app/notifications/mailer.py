"""Who an email goes to, decided when it is sent, and the sending itself.

The recipient is read at send time, so an address changed or a kind of email turned off after
the event was queued is honoured. A user who is gone, has no verified address or turned that
kind off gets nothing: the message is done, with one log line saying why.
"""

import logging
from dataclasses import dataclass, replace

from app.notifications import repository, ses
from app.notifications.emails import Content, compose, one_line
from app.notifications.unsubscribe import Kind, Unsubscribe, token_for
from app.settings import get_settings
from app.users import repository as users

log = logging.getLogger("sharebox.notifications")


class NotConfigured(RuntimeError):
    """A setting the emails need is missing: every message fails until it is set."""


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str | None
    unsubscribe: Unsubscribe


def link(fragment: str) -> str:
    """A URL on the web page (PUBLIC_BASE_URL; the sender has no request to take one from)."""
    base = get_settings().public_base_url
    if not base:
        raise NotConfigured("PUBLIC_BASE_URL is not set: the emails' links start with it")
    return f"{base.rstrip('/')}/{fragment}"


def _skipped(why: str, kind: Kind, **keys: str) -> None:
    log.info("notification not sent: %s (%s)", why, kind, extra={"reason": why, **keys})


def account_holder(user_id: str, kind: Kind) -> Recipient | None:
    """The user's verified address, unless they are gone or turned `kind` off."""
    profile = users.get_profile(user_id)
    if profile is None:
        _skipped("user_gone", kind, userId=user_id)
        return None
    if not profile.verified_email:
        _skipped("no_verified_email", kind, userId=user_id)
        return None
    if not getattr(profile.notifications, kind):
        _skipped("turned_off", kind, userId=user_id)
        return None
    return Recipient(profile.verified_email, profile.name, Unsubscribe(kind, user_id))


def invitee(address: str) -> Recipient | None:
    """A bare address, unless it unsubscribed from invitations."""
    if repository.invitations_suppressed(address):
        _skipped("unsubscribed", "invitations")
        return None
    return Recipient(address, None, Unsubscribe("invitations", address.lower()))


def display_name(user_id: str) -> str:
    """How an email names a user: their name, else their address."""
    profile = users.get_profile(user_id)
    if profile is None:
        return "Someone"
    return profile.name or profile.email


def send(recipient: Recipient, content: Content) -> None:
    """Compose `content` for `recipient` and hand it to SES (ses.SendFailed if SES refuses)."""
    sender = get_settings().sender_email
    kind = recipient.unsubscribe.kind
    if not sender:
        log.warning("notification not sent: SENDER_EMAIL is not set (%s)", kind)
        return
    token = token_for(kind, recipient.unsubscribe.subject)
    if recipient.name:
        greeting = f"Hi {one_line(recipient.name, 100)},"
        content = replace(content, paragraphs=(greeting, *content.paragraphs))
    email = compose(recipient.address, content, link(f"unsubscribe/{token}"))
    message_id = ses.send(email, sender)
    log.info("notification sent (%s)", kind, extra={"kind": kind, "messageId": message_id})
