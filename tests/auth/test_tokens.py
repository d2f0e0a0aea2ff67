"""Forged and malformed tokens are refused with 401; only a correct access token passes."""

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jose import jwt

from app.auth.tokens import InvalidToken, Jwks
from app.errors import ServiceUnavailable
from app.settings import get_settings
from tests.conftest import MOTO_PRIVATE_JWK, MOTO_PUBLIC_JWKS, ApiUser, moto_verifier


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def forge(user_id: str, **overrides: Any) -> str:
    """A token signed with moto's own key: only the claims decide whether it passes."""
    settings = get_settings()
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": user_id,
        "iss": settings.issuer,
        "client_id": settings.user_pool_client_id,
        "token_use": "access",
        "iat": now,
        "exp": now + 600,
        "jti": "forged",
        "origin_jti": "forged-session",
    }
    headers = overrides.pop("headers", {"kid": "dummy"})
    for key, value in overrides.items():
        if value is _DROP:
            claims.pop(key, None)
        else:
            claims[key] = value
    return jwt.encode(claims, MOTO_PRIVATE_JWK, algorithm="RS256", headers=headers)


_DROP = object()
NOW = int(time.time())


def _unsigned(user_id: str) -> str:
    header = _b64(json.dumps({"alg": "none", "kid": "dummy", "typ": "JWT"}).encode())
    payload = json.loads(base64.urlsafe_b64decode(forge(user_id).split(".")[1] + "=="))
    return f"{header}.{_b64(json.dumps(payload).encode())}."


def _hs256_with_public_key(user_id: str) -> str:
    good = forge(user_id)
    payload = json.loads(base64.urlsafe_b64decode(good.split(".")[1] + "=="))
    public_pem = json.dumps(MOTO_PUBLIC_JWKS["keys"][0])
    header = _b64(json.dumps({"alg": "HS256", "kid": "dummy", "typ": "JWT"}).encode())
    body = _b64(json.dumps(payload).encode())
    import hashlib
    import hmac

    signature = hmac.new(public_pem.encode(), f"{header}.{body}".encode(), hashlib.sha256)
    return f"{header}.{body}.{_b64(signature.digest())}"


def _tampered(user_id: str) -> str:
    header, payload, signature = forge(user_id).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "someone-else"
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


BAD_TOKENS: dict[str, Callable[[str], str]] = {
    "expired": lambda u: forge(u, exp=NOW - 3600, iat=NOW - 7200),
    "missing exp": lambda u: forge(u, exp=_DROP),
    "null exp": lambda u: forge(u, exp=None),
    "string exp": lambda u: forge(u, exp=str(NOW + 600)),
    "missing iat": lambda u: forge(u, iat=_DROP),
    "future nbf": lambda u: forge(u, nbf=NOW + 3600),
    "future iat": lambda u: forge(u, iat=NOW + 3600),
    "other issuer": lambda u: forge(u, iss="https://cognito-idp.us-east-1.amazonaws.com/other"),
    "other client": lambda u: forge(u, client_id="someone-elses-client"),
    "id token": lambda u: forge(u, token_use="id", client_id=_DROP, aud="x"),
    "no token_use": lambda u: forge(u, token_use=_DROP),
    "no sub": lambda u: forge(u, sub=_DROP),
    "alg none": _unsigned,
    "HS256 keyed with the public key": _hs256_with_public_key,
    "unknown kid": lambda u: forge(u, headers={"kid": "not-a-key"}),
    "no kid": lambda u: forge(u, headers={}),
    "tampered payload": _tampered,
    "junk": lambda u: "not.a.jwt",
    "empty segments": lambda u: "..",
    "random base64": lambda u: _b64(b"x" * 40),
}


@pytest.mark.parametrize("name", sorted(BAD_TOKENS))
def test_forged_or_malformed_token_is_401(client: TestClient, user: ApiUser, name: str) -> None:
    token = BAD_TOKENS[name](user.user_id)
    response = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_token"


def test_id_token_and_refresh_token_are_not_access_tokens(
    client: TestClient, user: ApiUser
) -> None:
    for token in (user.id_token, user.refresh_token):
        response = client.get("/users/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "bearer", "Token abc", ""]
)
def test_other_schemes_and_empty_headers_are_401(
    client: TestClient, user: ApiUser, header: str
) -> None:
    response = client.get("/users/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_control_token_with_correct_claims_is_accepted(client: TestClient, user: ApiUser) -> None:
    # GET /files, not /users/me: that one also asks Cognito, which never issued this token.
    response = client.get("/files", headers={"Authorization": f"Bearer {forge(user.user_id)}"})
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


def test_cached_token_is_refused_once_it_expires() -> None:
    clock = [float(NOW)]
    verifier = moto_verifier()
    verifier._clock = lambda: clock[0]  # an injected clock, not a sleep
    token = forge("someone", iat=NOW, exp=NOW + 60)  # every time claim on the fake clock
    assert verifier.verify(token).sub == "someone"
    clock[0] = NOW + 60 + verifier.leeway + 1
    with pytest.raises(InvalidToken):
        verifier.verify(token)


class CountingFetch:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, _url: str) -> dict[str, Any]:
        self.calls += 1
        return MOTO_PUBLIC_JWKS


def test_jwks_is_fetched_once_for_many_verifications(aws: Any) -> None:
    fetch = CountingFetch()
    verifier = moto_verifier(fetch)
    for i in range(50):
        verifier.verify(forge(f"user-{i}"))
    assert fetch.calls == 1


def test_unknown_kid_refetches_once_then_is_throttled() -> None:
    fetch = CountingFetch()
    now = [1000.0]
    jwks = Jwks("https://example/jwks.json", fetch, min_refresh_seconds=10, clock=lambda: now[0])
    assert jwks.key("dummy") is not None
    assert fetch.calls == 1
    assert jwks.key("rotated") is None
    assert jwks.key("rotated") is None
    assert fetch.calls == 1, "a refetch within 10 s of the last one is throttled"
    now[0] += 11
    assert jwks.key("rotated") is None
    assert fetch.calls == 2
    for _ in range(20):
        jwks.key("rotated")
    assert fetch.calls == 2


def test_concurrent_misses_share_one_fetch() -> None:
    import threading

    fetch = CountingFetch()
    jwks = Jwks("https://example/jwks.json", fetch)
    threads = [threading.Thread(target=jwks.key, args=("dummy",)) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fetch.calls == 1


def test_unreachable_jwks_is_unavailable_not_a_bad_token() -> None:
    def unreachable(_url: str) -> dict[str, Any]:
        raise OSError("connection refused")

    with pytest.raises(ServiceUnavailable):  # a 503: the client keeps its tokens and retries
        moto_verifier(unreachable).verify(forge("someone"))


def test_a_broken_jwks_refuses_the_token() -> None:
    with pytest.raises(InvalidToken):
        moto_verifier(lambda _url: {"keys": [{"kid": "x", "kty": "RSA"}]}).verify(forge("x"))


def test_the_jwks_is_fetched_over_http_from_the_pool(moto_server: str) -> None:
    from app.auth.dependencies import _fetch_json

    settings = get_settings()
    document = _fetch_json(f"{moto_server}/{settings.user_pool_id}/.well-known/jwks.json")
    assert document == MOTO_PUBLIC_JWKS
    verifier = moto_verifier(_fetch_json)
    verifier.jwks.url = f"{moto_server}/{settings.user_pool_id}/.well-known/jwks.json"
    assert verifier.verify(forge("someone")).sub == "someone"


def test_a_jwks_url_that_is_not_200_makes_verification_unavailable() -> None:
    import http.server
    import threading

    from app.auth.dependencies import _fetch_json

    class Unavailable(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(503)

        def log_message(self, *_: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Unavailable)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    try:
        with pytest.raises(OSError, match="HTTP 503"):
            _fetch_json(url)
        verifier = moto_verifier(_fetch_json)
        verifier.jwks.url = url
        with pytest.raises(ServiceUnavailable):
            verifier.verify(forge("someone"))
    finally:
        server.shutdown()
        server.server_close()
