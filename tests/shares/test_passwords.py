"""Link passwords are salted scrypt hashes, compared in constant time."""

import base64
import hashlib

from app.shares import passwords
from app.shares.passwords import hash_password, verify_password

CHEAP = {"n": 2**10, "r": 8, "p": 1}  # the format and checks are the same; the cost is not


def test_the_right_password_verifies_and_a_wrong_one_does_not() -> None:
    stored = hash_password("open sesame", **CHEAP)
    assert verify_password("open sesame", stored)
    assert not verify_password("open sesame!", stored)
    assert not verify_password("", stored)


def test_the_hash_is_salted_and_never_holds_the_password() -> None:
    first, second = hash_password("open sesame", **CHEAP), hash_password("open sesame", **CHEAP)
    assert first != second
    assert first.startswith("scrypt$1024$8$1$")
    assert "open sesame" not in first


def test_new_hashes_use_owasps_parameters_and_verify() -> None:
    stored = hash_password("open sesame")
    assert stored.startswith("scrypt$131072$8$1$")
    assert verify_password("open sesame", stored)


def test_a_hash_made_with_the_old_parameters_still_verifies() -> None:
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(b"open sesame", salt=salt, n=2**14, r=8, p=1, dklen=32)
    b64 = lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("=")  # noqa: E731
    old = f"scrypt$16384$8$1${b64(salt)}${b64(digest)}"
    assert verify_password("open sesame", old)
    assert not verify_password("open sesame?", old)


def test_a_stored_hash_asking_for_more_memory_than_allowed_never_matches() -> None:
    greedy = hash_password("x", **CHEAP).replace("scrypt$1024$", f"scrypt${passwords.N * 4}$")
    assert not verify_password("x", greedy)


def test_a_malformed_stored_hash_never_matches() -> None:
    assert not verify_password("x", "")
    assert not verify_password("x", "md5$abc")
    assert not verify_password("x", "scrypt$a$b$c$d$e")
