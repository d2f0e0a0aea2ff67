"""The app's RFC 6238 check against the RFC's own test vectors and against pyotp."""

import base64
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from app.mfa import totp

# RFC 6238 Appendix B: the SHA1 key is the ASCII "12345678901234567890", codes of 8 digits.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("unix_time", "expected"), RFC_VECTORS)
def test_codes_match_rfc_6238s_test_vectors(unix_time: int, expected: str) -> None:
    assert totp.code_at(RFC_SECRET, unix_time // 30, digits=8) == expected


def test_codes_match_pyotps_for_a_random_secret_over_a_day() -> None:
    secret = pyotp.random_base32()
    other = pyotp.TOTP(secret)
    start = datetime(2026, 11, 22, tzinfo=UTC)
    for minutes in range(0, 24 * 60, 7):
        moment = start + timedelta(minutes=minutes)
        assert totp.code_at(secret, totp.step_of(moment)) == other.at(moment)


def test_a_lower_case_unpadded_secret_is_the_same_secret() -> None:
    secret = pyotp.random_base32(length=36)  # not a multiple of 8: needs padding
    assert totp.code_at(secret.lower(), 1000) == totp.code_at(secret, 1000)


def test_the_window_is_one_step_either_side() -> None:
    secret, now = pyotp.random_base32(), datetime(2026, 11, 22, 12, 0, 15, tzinfo=UTC)
    current = totp.step_of(now)
    for offset in (-1, 0, 1):
        assert totp.matching_step(secret, totp.code_at(secret, current + offset), now) == (
            current + offset
        )
    for offset in (-2, 2):
        code = totp.code_at(secret, current + offset)
        if code not in {totp.code_at(secret, current + o) for o in (-1, 0, 1)}:
            assert totp.matching_step(secret, code, now) is None


@pytest.mark.parametrize(
    "bad", ["", "12345", "1234567", "12345a", "\uff11\uff12\uff13\uff14\uff15\uff16", " 123456"]
)
def test_anything_but_six_ascii_digits_matches_nothing(bad: str) -> None:
    assert totp.matching_step(pyotp.random_base32(), bad, datetime.now(UTC)) is None


def test_the_uri_encodes_the_label_and_names_every_parameter() -> None:
    uri = totp.otpauth_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ann+mfa@example.com")
    assert uri == (
        "otpauth://totp/Sharebox:ann%2Bmfa%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        "&issuer=Sharebox&algorithm=SHA1&digits=6&period=30"
    )
    assert pyotp.parse_uri(uri).name == "ann+mfa@example.com"
