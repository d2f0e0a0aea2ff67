"""Link passwords: stored only as a salted scrypt hash and checked in constant time.

The stored string carries its own cost parameters, so hashes made with older (cheaper)
parameters keep verifying after the defaults move on.
"""

import base64
import hashlib
import hmac
import secrets

# OWASP's current scrypt recommendation: N=2^17, r=8, p=1 (128 MiB, ~0.3-0.5 s of CPU).
N, R, P = 2**17, 8, 1
# scrypt needs 128 * N * r bytes; OpenSSL's default ceiling (32 MiB) is below that, so give it
# twice the need. A stored hash asking for more than this never matches instead of eating RAM.
MAXMEM = 2 * 128 * N * R
_SALT_BYTES, _HASH_BYTES = 16, 32
_SCHEME = "scrypt"


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """A self-describing `scrypt$n$r$p$salt$hash` string; a fresh salt every time."""
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = _derive(password, salt, n, r, p)
    return "$".join((_SCHEME, str(n), str(r), str(p), _b64(salt), _b64(digest)))


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches `stored`, with the parameters `stored` names.

    Blocking and CPU-heavy at the default parameters: call it through `run_blocking`.
    A malformed stored value never matches.
    """
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = _unb64(digest)
        candidate = _derive(password, _unb64(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(candidate, expected)


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, maxmem=MAXMEM, dklen=_HASH_BYTES
    )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
