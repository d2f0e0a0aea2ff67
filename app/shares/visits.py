"""Visit keys: a password link is unlocked once per visit, not once per click.

`POST /links/{token}/unlock` checks the password (throttled as a download is) and hands out a
key: the link's token and an expiry, HMAC-signed with the server's secret. Listing a folder
link and downloading from it take the key instead of the password. A key opens only the link
it was made for, only until it expires, and only while the link itself still works
(revoking or expiring the link ends every visit at once).
"""

import base64
import hashlib
import hmac
from datetime import datetime

from app.settings import get_settings

KEY_TTL_SECONDS = 30 * 60


def _mac(token: str, expires: int) -> str:
    secret = get_settings().cursor_secret.encode()
    message = f"link-visit\x00{token}\x00{expires}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()[:20]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue(token: str, now: datetime) -> str:
    expires = int(now.timestamp()) + KEY_TTL_SECONDS
    return f"{expires}.{_mac(token, expires)}"


def valid(key: str | None, token: str, now: datetime) -> bool:
    if not key or len(key) > 64 or "." not in key:
        return False
    expires_text, mac = key.split(".", 1)
    if not expires_text.isdigit():
        return False
    expires = int(expires_text)
    return expires > now.timestamp() and hmac.compare_digest(mac, _mac(token, expires))
