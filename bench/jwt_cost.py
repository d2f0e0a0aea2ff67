"""JWT verification: TokenVerifier against a raw RSA-SHA256 verify with keys built once."""

import base64
import time
from typing import Any

from bench.common import Measure, alternate, median, pair_ratio

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench"
CLIENT_ID = "bench-client"


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _tokens(count: int) -> list[str]:
    """Distinct access tokens signed with moto's private key (so none hits the cache)."""
    from jose import jwt
    from moto.utilities.utils import load_resource

    private = load_resource("cognitoidp/resources/jwks-private.json")
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "client_id": CLIENT_ID,
        "token_use": "access",
        "iat": now,
        "exp": now + 3600,
        "origin_jti": "bench-session",
    }
    return [
        jwt.encode(
            claims | {"sub": f"user-{i}", "jti": f"jti-{i}"},
            private,
            algorithm="RS256",
            headers={"kid": "dummy"},
        )
        for i in range(count)
    ]


def _verifier() -> Any:
    from moto.utilities.utils import load_resource

    from app.auth.tokens import Jwks, TokenVerifier

    public = load_resource("cognitoidp/resources/jwks-public.json")
    return TokenVerifier(
        issuer=ISSUER, client_id=CLIENT_ID, jwks=Jwks("bench://jwks", lambda _url: public)
    )


def _raw_verify() -> Any:
    """The floor: cryptography's RSA PKCS#1 v1.5 SHA-256 verify, key and padding built once."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
    from moto.utilities.utils import load_resource

    jwk = load_resource("cognitoidp/resources/jwks-public.json")["keys"][0]
    key = RSAPublicNumbers(
        int.from_bytes(_b64decode(jwk["e"]), "big"), int.from_bytes(_b64decode(jwk["n"]), "big")
    ).public_key()
    pkcs1v15, sha256 = padding.PKCS1v15(), hashes.SHA256()

    def verify(signed: bytes, signature: bytes) -> None:
        key.verify(signature, signed, pkcs1v15, sha256)

    return verify


def _jose_with_jwks() -> Any:
    """For the record: python-jose's decode with a JWKS dict (rebuilds the key every call)."""
    from jose import jwt
    from moto.utilities.utils import load_resource

    public = load_resource("cognitoidp/resources/jwks-public.json")

    def decode(token: str) -> None:
        jwt.decode(token, public, algorithms=["RS256"], options={"verify_aud": False})

    return decode


def measure(rounds: int = 9, batch: int = 200) -> list[Measure]:
    tokens = _tokens(rounds * batch + 1)
    verifier = _verifier()
    verifier.verify(tokens[-1])  # fetch the JWKS and build its keys, as the first request does
    raw = _raw_verify()
    split = []
    for token in tokens:
        head, payload, signature = token.split(".")
        split.append((f"{head}.{payload}".encode(), _b64decode(signature)))
    jose_decode = _jose_with_jwks()
    cursor = {"ours": 0, "raw": 0}

    def ours() -> float:
        chunk = tokens[cursor["ours"] : cursor["ours"] + batch]
        cursor["ours"] += batch
        started = time.perf_counter()
        for token in chunk:
            verifier.verify(token)
        return (time.perf_counter() - started) / batch

    def floor() -> float:
        chunk = split[cursor["raw"] : cursor["raw"] + batch]
        cursor["raw"] += batch
        started = time.perf_counter()
        for signed, signature in chunk:
            raw(signed, signature)
        return (time.perf_counter() - started) / batch

    mine, base = alternate(ours, floor, rounds)

    repeat = tokens[0]  # verified above, so in the cache
    repeats = 20_000
    hits: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeats):
            verifier.verify(repeat)
        hits.append((time.perf_counter() - started) / repeats)

    jose_times = []
    for _ in range(3):
        started = time.perf_counter()
        for token in tokens[:50]:
            jose_decode(token)
        jose_times.append((time.perf_counter() - started) / 50)
    us = 1e6
    floor_us = median(base) * us
    return [
        Measure(
            name="JWT verify, fresh token",
            value=median(mine) * us,
            floor=floor_us,
            unit="µs",
            target=3.0,
            floor_name="raw RSA-SHA256 verify (cryptography, key built once)",
            notes=f"median of {rounds} alternating batches of {batch} distinct tokens",
            extra={"python_jose_decode_with_jwks_us": round(median(jose_times) * us, 1)},
            paired_ratio=pair_ratio(mine, base),
        ),
        Measure(
            name="JWT verify, repeated token (cache)",
            value=median(hits) * us,
            floor=5.0,
            unit="µs",
            target=1.0,
            floor_name="absolute budget: 5 µs",
            notes=f"median of {rounds} runs of {repeats} repeats",
        ),
    ]
