"""The TOTP secret at rest: AES-256-GCM under a key that never sits in the table.

The key is derived (HKDF-SHA256) from `MFA_SECRET_KEY`, which template.yaml resolves at deploy
time from a per-stack generated Secrets Manager secret: no runtime call, no IAM permission, no
latency on the log-in path. A dump or export of the table, or a role that may only read it,
reveals no secret. The user id is the cipher's associated data, so a sealed secret copied onto
another user's item does not open. `v1:` names the scheme, so a later one (KMS, a rotated key)
can be told apart from what is stored.
"""

import base64
import binascii
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.settings import get_settings

_SCHEME = "v1"
_NONCE_BYTES = 12


class SealedSecretUnreadable(Exception):
    """A stored secret that this key cannot open (another key, or tampered with)."""


@lru_cache(maxsize=2)
def _cipher(material: str) -> AESGCM:
    if not material:
        raise RuntimeError("MFA_SECRET_KEY is not set: this function cannot read TOTP secrets")
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"sharebox totp secret v1"
    ).derive(material.encode())
    return AESGCM(key)


def seal(secret: str, user_id: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _cipher(get_settings().mfa_secret_key).encrypt(
        nonce, secret.encode(), user_id.encode()
    )
    return f"{_SCHEME}:{base64.b64encode(nonce + sealed).decode()}"


def unseal(stored: str, user_id: str) -> str:
    scheme, _, payload = stored.partition(":")
    if scheme != _SCHEME:
        raise SealedSecretUnreadable(f"unknown scheme {scheme!r}")
    try:
        raw = base64.b64decode(payload, validate=True)
        plain = _cipher(get_settings().mfa_secret_key).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], user_id.encode()
        )
    except (binascii.Error, InvalidTag) as exc:  # another key or user, or altered bytes
        raise SealedSecretUnreadable("the secret does not open with this key") from exc
    return plain.decode()
