"""One-click unsubscribe (RFC 8058): signed links that turn one kind of email off, no login.

A token is `<payload>.<mac>`, both unpadded base64url: the payload is `<kind>:<subject>` (a
user id for the account holders' kinds, the address for invitations), the mac the first 16
bytes of HMAC-SHA256 over it. Its key is derived from CURSOR_SECRET for this use alone
(HMAC of the secret with a fixed label), so a token is never a valid cursor signature and
back. Tokens do not expire: a link in an old email must still work, and all it can do is stop
that kind of email for that subject.
"""

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal, cast, get_args

from app.notifications import repository
from app.settings import get_settings
from app.users import repository as users

Kind = Literal["shares", "requests", "rejections", "invitations"]
KINDS: tuple[Kind, ...] = get_args(Kind)
_LABEL = b"sharebox/unsubscribe-token/v1"
_MAC_BYTES = 16

WHAT_STOPS: dict[Kind, str] = {
    "shares": "emails when someone shares a file or folder with you",
    "requests": "emails about files that arrive through your upload requests",
    "rejections": "emails about uploads of yours that were rejected",
    "invitations": "invitations to join Sharebox sent to {subject}",
}


@dataclass(frozen=True)
class Unsubscribe:
    """One kind of email for one subject: a user id, or the address for invitations."""

    kind: Kind
    subject: str

    def what_stops(self) -> str:
        return WHAT_STOPS[self.kind].format(subject=self.subject)


def _key() -> bytes:
    secret = get_settings().cursor_secret.encode()
    return hmac.new(secret, _LABEL, hashlib.sha256).digest()


def _mac(payload: bytes) -> bytes:
    return hmac.new(_key(), payload, hashlib.sha256).digest()[:_MAC_BYTES]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token_for(kind: Kind, subject: str) -> str:
    payload = f"{kind}:{subject}".encode()
    return f"{_b64(payload)}.{_b64(_mac(payload))}"


def read_token(token: str) -> Unsubscribe | None:
    """What `token` unsubscribes from; None for anything this service did not sign."""
    encoded, _, mac = token.partition(".")
    try:
        payload, signature = _unb64(encoded), _unb64(mac)
    except (ValueError, binascii.Error):
        return None
    if len(signature) != _MAC_BYTES or not hmac.compare_digest(signature, _mac(payload)):
        return None
    kind, _, subject = payload.decode("utf-8", "replace").partition(":")
    if kind not in KINDS or not subject:
        return None
    return Unsubscribe(cast(Kind, kind), subject)


def apply(unsubscribe: Unsubscribe) -> None:
    """Turn that kind of email off; idempotent. A user who is gone has nothing to turn off."""
    if unsubscribe.kind == "invitations":
        repository.suppress_invitations(unsubscribe.subject)
    else:
        users.update_profile(unsubscribe.subject, notifications={unsubscribe.kind: False})
