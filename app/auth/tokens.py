"""Cognito access-token verification: RS256 checked with `cryptography` directly.

Keys are built once per JWKS fetch; a verified token is remembered (bounded) so a repeat costs
a dict lookup plus the expiry check. Every failure is an `InvalidToken`. `cryptography` is
imported on the first verification, not at import: /health and cold starts never pay for it.
"""

import base64
import binascii
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey as Key
else:
    Key = Any

JwksFetcher = Callable[[str], dict[str, Any]]


class InvalidToken(Exception):
    """The token is not a valid access token of our pool and client."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    sub: str
    iat: int
    exp: int
    origin_jti: str | None
    raw: dict[str, Any]


class Jwks:
    """The pool's signing keys by `kid`; refetched on an unknown kid, at most once per interval."""

    def __init__(
        self,
        url: str,
        fetch: JwksFetcher,
        *,
        min_refresh_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._fetch = fetch
        self._min_refresh = min_refresh_seconds
        self._clock = clock
        self._keys: dict[str, Key] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()
        self.fetches = 0

    def key(self, kid: str) -> Key | None:
        key = self._keys.get(kid)
        if key is not None:
            return key
        with self._lock:  # single-flight: concurrent misses share one fetch
            key = self._keys.get(kid)
            recently = (
                self._fetched_at is not None
                and self._clock() - self._fetched_at < self._min_refresh
            )
            if key is None and not recently:
                self._refresh()
                key = self._keys.get(kid)
            return key

    def _refresh(self) -> None:
        self._fetched_at = self._clock()
        self.fetches += 1
        try:
            document = self._fetch(self.url)
            keys = {
                k["kid"]: _rsa_public_key(k)
                for k in document.get("keys", [])
                if _is_rs256_signing_key(k)
            }
        except Exception as exc:  # an unreachable or broken JWKS refuses tokens, never 500s
            raise InvalidToken("signing keys are unavailable") from exc
        self._keys = keys


class TokenVerifier:
    """Checks signature, algorithm, time claims, issuer, token_use and client_id."""

    def __init__(
        self,
        *,
        issuer: str,
        client_id: str,
        jwks: Jwks,
        leeway: int = 30,
        clock: Callable[[], float] = time.time,
        cache_size: int = 10_000,
    ) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.jwks = jwks
        self.leeway = leeway
        self._clock = clock
        self._cache: OrderedDict[str, AccessClaims] = OrderedDict()
        self._cache_size = cache_size

    def verify(self, token: str) -> AccessClaims:
        now = self._clock()
        claims = self._cache.get(token)
        if claims is not None:
            if now > claims.exp + self.leeway:
                self._cache.pop(token, None)
                raise InvalidToken("token expired")
            return claims
        claims = self._verify_fresh(token, now)
        self._cache[token] = claims
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return claims

    def _verify_fresh(self, token: str, now: float) -> AccessClaims:
        parts = token.split(".")
        if len(parts) != 3:
            raise InvalidToken("malformed token")
        header_segment, payload_segment, signature_segment = parts
        try:
            header = json.loads(_b64decode(header_segment))
        except (ValueError, binascii.Error) as exc:
            raise InvalidToken("malformed token") from exc
        if not isinstance(header, dict):
            raise InvalidToken("malformed token")
        if header.get("alg") != "RS256":
            raise InvalidToken("unsupported algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("no key id")
        key = self.jwks.key(kid)
        if key is None:
            raise InvalidToken("unknown key id")
        try:
            signature = _b64decode(signature_segment)
            signed = f"{header_segment}.{payload_segment}".encode("ascii")
        except (ValueError, binascii.Error) as exc:
            raise InvalidToken("bad signature") from exc
        if not _rs256_valid(key, signature, signed):
            raise InvalidToken("bad signature")
        try:
            claims = json.loads(_b64decode(payload_segment))
        except (ValueError, binascii.Error) as exc:
            raise InvalidToken("bad claims") from exc
        if not isinstance(claims, dict):
            raise InvalidToken("bad claims")
        return self._check_claims(claims, now)

    def _check_claims(self, claims: dict[str, Any], now: float) -> AccessClaims:
        exp, iat, nbf = claims.get("exp"), claims.get("iat"), claims.get("nbf", 0)
        if not all(_is_int(v) for v in (exp, iat, nbf)):
            raise InvalidToken("exp, iat and nbf must be integers")
        if now > exp + self.leeway:
            raise InvalidToken("token expired")
        if nbf > now + self.leeway or iat > now + self.leeway:
            raise InvalidToken("token not valid yet")
        if claims.get("iss") != self.issuer:
            raise InvalidToken("wrong issuer")
        if claims.get("token_use") != "access":
            raise InvalidToken("not an access token")
        if claims.get("client_id") != self.client_id:
            raise InvalidToken("wrong client")
        sub, origin_jti = claims.get("sub"), claims.get("origin_jti")
        if not isinstance(sub, str) or not sub:
            raise InvalidToken("no subject")
        return AccessClaims(
            sub=sub,
            iat=iat,
            exp=exp,
            origin_jti=origin_jti if isinstance(origin_jti, str) else None,
            raw=claims,
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def unverified_claims(token: str) -> dict[str, Any]:
    """Claims of a token we just received from Cognito itself (never of a client's token)."""
    parts = token.split(".")
    try:
        claims = json.loads(_b64decode(parts[1])) if len(parts) == 3 else None
    except (ValueError, binascii.Error):
        return {}
    return claims if isinstance(claims, dict) else {}


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _is_rs256_signing_key(jwk: dict[str, Any]) -> bool:
    return (
        jwk.get("kty") == "RSA"
        and isinstance(jwk.get("kid"), str)
        and jwk.get("alg", "RS256") == "RS256"
        and jwk.get("use", "sig") == "sig"
    )


def _rsa_public_key(jwk: dict[str, Any]) -> Key:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

    modulus = int.from_bytes(_b64decode(jwk["n"]), "big")
    exponent = int.from_bytes(_b64decode(jwk["e"]), "big")
    return RSAPublicNumbers(exponent, modulus).public_key()


@cache
def _rs256() -> tuple[Any, Any, type[Exception]]:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    return padding.PKCS1v15(), hashes.SHA256(), InvalidSignature


def _rs256_valid(key: Key, signature: bytes, signed: bytes) -> bool:
    pkcs1v15, sha256, invalid_signature = _rs256()
    try:
        key.verify(signature, signed, pkcs1v15, sha256)
    except invalid_signature:
        return False
    return True
