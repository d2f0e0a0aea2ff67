"""A TOTP secret at rest: sealed for one user, under a key the table does not hold."""

import base64

import pyotp
import pytest

from app.mfa import vault
from tests.conftest import reload_settings


def test_a_sealed_secret_opens_for_its_user_only() -> None:
    secret = pyotp.random_base32()
    sealed = vault.seal(secret, "user-a")
    assert secret not in sealed
    assert vault.unseal(sealed, "user-a") == secret
    with pytest.raises(vault.SealedSecretUnreadable):
        vault.unseal(sealed, "user-b")  # copied onto another user's item


def test_each_seal_is_different() -> None:
    assert vault.seal("JBSWY3DPEHPK3PXP", "u") != vault.seal("JBSWY3DPEHPK3PXP", "u")


def test_another_key_cannot_open_it(monkeypatch: pytest.MonkeyPatch) -> None:
    sealed = vault.seal("JBSWY3DPEHPK3PXP", "u")
    monkeypatch.setenv("MFA_SECRET_KEY", "another-stacks-key")
    reload_settings()
    try:
        with pytest.raises(vault.SealedSecretUnreadable):
            vault.unseal(sealed, "u")
    finally:
        monkeypatch.undo()
        reload_settings()
    assert vault.unseal(sealed, "u") == "JBSWY3DPEHPK3PXP"


def test_an_altered_byte_is_refused() -> None:
    scheme, _, payload = vault.seal("JBSWY3DPEHPK3PXP", "u").partition(":")
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(vault.SealedSecretUnreadable):
        vault.unseal(f"{scheme}:{base64.b64encode(bytes(raw)).decode()}", "u")


@pytest.mark.parametrize("stored", ["v2:AAAA", "v1:not base64!", "plain"])
def test_an_unknown_scheme_or_garbage_is_refused(stored: str) -> None:
    with pytest.raises(vault.SealedSecretUnreadable):
        vault.unseal(stored, "u")


def test_a_function_without_the_key_cannot_seal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MFA_SECRET_KEY", "")
    reload_settings()
    try:
        with pytest.raises(RuntimeError, match="MFA_SECRET_KEY"):
            vault.seal("JBSWY3DPEHPK3PXP", "u")
    finally:
        monkeypatch.undo()
        reload_settings()
