"""Cognito access-token verification with python-jose: the only module that imports jose.

Keys are built once per JWKS fetch (jose's decode with a JWKS dict would rebuild them on every
call); a verified token is remembered (bounded) so a repeat costs a dict lookup plus the expiry
check. Every failure is an `InvalidToken`. jose is imported on the first verification, not at
import: /health and cold starts never pay for it.
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

from app.auth.errors import InvalidToken
from app.errors import ServiceUnavailable

if TYPE_CHECKING:
    from jose.backends.base import Key
else:
    Key = Any

JwksFetcher = Callable[[str], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class AccessClaims:
    sub: str
    iat: int
    exp: int
    origin_jti: str | None
    raw: dict[str, Any]
    groups: frozenset[str] = frozenset()  # `cognito:groups`: the pool groups the user was in


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
        except OSError as exc:  # Cognito is unreachable: the token may be fine, so retry later
            raise ServiceUnavailable("The signing keys could not be fetched.") from exc
        try:
            keys = {
                k["kid"]: _jose()[0].construct(k, "RS256")
                for k in document.get("keys", [])
                if _is_rs256_signing_key(k)
            }
        except Exception as exc:  # a broken JWKS refuses tokens, never 500s
            raise InvalidToken("signing keys are unusable") from exc
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
        header = _json_segment(header_segment, "malformed token")
        if header.get("alg") != "RS256":  # the only algorithm we accept, never the token's pick
            raise InvalidToken("unsupported algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("no key id")
        key = self.jwks.key(kid)  # chosen by kid: jose's own JWKS handling does not
        if key is None:
            raise InvalidToken("unknown key id")
        try:
            signature = _b64decode(signature_segment)
            valid = key.verify(f"{header_segment}.{payload_segment}".encode("ascii"), signature)
        except (ValueError, binascii.Error, UnicodeError, _jose()[1]) as exc:
            raise InvalidToken("bad signature") from exc
        if not valid:
            raise InvalidToken("bad signature")
        return self._check_claims(_json_segment(payload_segment, "bad claims"), now)

    def _check_claims(self, claims: dict[str, Any], now: float) -> AccessClaims:
        exp, iat, nbf = _int_claim(claims, "exp"), _int_claim(claims, "iat"), claims.get("nbf", 0)
        if not _is_int(nbf):
            raise InvalidToken("nbf must be an integer")
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
            groups=_groups(claims.get("cognito:groups")),
        )


def _groups(value: Any) -> frozenset[str]:
    """The token's groups; a claim that is not a list of names grants none."""
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        return frozenset()
    return frozenset(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_claim(claims: dict[str, Any], name: str) -> int:
    """A required integer claim: a missing, null or string value refuses the token."""
    value = claims.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidToken(f"{name} must be an integer")
    return value


def unverified_claims(token: str) -> dict[str, Any]:
    """Claims of a token we just received from Cognito itself (never of a client's token)."""
    parts = token.split(".")
    try:
        claims = json.loads(_b64decode(parts[1])) if len(parts) == 3 else None
    except (ValueError, binascii.Error):
        return {}
    return claims if isinstance(claims, dict) else {}


def _json_segment(segment: str, error: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64decode(segment))
    except (ValueError, binascii.Error) as exc:
        raise InvalidToken(error) from exc
    if not isinstance(value, dict):
        raise InvalidToken(error)
    return value


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _is_rs256_signing_key(jwk: dict[str, Any]) -> bool:
    return (
        jwk.get("kty") == "RSA"
        and isinstance(jwk.get("kid"), str)
        and jwk.get("alg", "RS256") == "RS256"
        and jwk.get("use", "sig") == "sig"
    )


def load_backend() -> None:
    """Import jose now (SnapStart's init phase), not on the first verification."""
    _jose()


@cache
def _jose() -> tuple[Any, type[Exception]]:
    """python-jose, imported on the first verification so /health and cold starts skip it."""
    from jose import jwk
    from jose.exceptions import JOSEError

    return jwk, JOSEError
