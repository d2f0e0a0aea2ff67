"""Link passwords are salted scrypt hashes, compared in constant time."""

from app.shares.passwords import hash_password, verify_password


def test_the_right_password_verifies_and_a_wrong_one_does_not() -> None:
    stored = hash_password("open sesame")
    assert verify_password("open sesame", stored)
    assert not verify_password("open sesame!", stored)
    assert not verify_password("", stored)


def test_the_hash_is_salted_and_never_holds_the_password() -> None:
    first, second = hash_password("open sesame"), hash_password("open sesame")
    assert first != second
    assert first.startswith("scrypt$16384$8$1$")
    assert "open sesame" not in first


def test_a_malformed_stored_hash_never_matches() -> None:
    assert not verify_password("x", "")
    assert not verify_password("x", "md5$abc")
    assert not verify_password("x", "scrypt$a$b$c$d$e")
