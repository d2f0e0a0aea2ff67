"""RFC 6238 time-based one-time codes: the check Cognito cannot do for us, and the URI an
authenticator app reads.

Cognito checks a code only at log-in and when a factor is first verified; disabling needs a
check of an enabled factor, and a wrong code should be refused before a Cognito session is
spent, so the service keeps its own copy of the secret and checks codes here. HMAC-SHA1,
6 digits, 30-second steps: what Cognito's software tokens use.
"""

import base64
import hmac
import struct
from datetime import datetime
from urllib.parse import quote, urlencode

ISSUER = "Sharebox"
DIGITS = 6
PERIOD_SECONDS = 30
# Steps either side of now that still match: a phone clock 30 s off, or a code typed as it
# turned over. RFC 6238 §5.2 recommends at most one.
WINDOW = 1


def _key(secret: str) -> bytes:
    """The key a base32 secret encodes (case and padding as authenticator apps accept them)."""
    text = secret.strip().replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def code_at(secret: str, step: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """The code of time step `step` (RFC 4226's HOTP with the step as the counter)."""
    mac = hmac.new(_key(secret), struct.pack(">Q", step), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def step_of(moment: datetime) -> int:
    return int(moment.timestamp()) // PERIOD_SECONDS


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step within the window whose code `code` is, else None.

    Every step of the window is computed and compared in constant time, so the answer's timing
    says nothing about which step (or how much of a code) matched.
    """
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    current = step_of(now)
    found = None
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(code_at(secret, step), code):
            found = step
    return found


def otpauth_uri(secret: str, account: str) -> str:
    """The Key URI an authenticator app reads from a QR code: `otpauth://totp/<issuer>:<account>`,
    both parts percent-encoded, and the parameters Cognito's codes use."""
    label = f"{quote(ISSUER, safe='')}:{quote(account, safe='')}"
    query = urlencode(
        {
            "secret": secret,
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": PERIOD_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
