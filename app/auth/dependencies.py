"""The current-user dependency every protected route uses."""

import json
import urllib.request
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from app import observability
from app.auth.revocation import RevocationStore
from app.auth.tokens import AccessClaims, InvalidToken, Jwks, TokenVerifier
from app.blocking import run_blocking
from app.errors import Unauthorized
from app.settings import get_settings

# tokenUrl is relative so the docs page's Authorize works behind an API Gateway stage too.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="auth/token", auto_error=False)


def _fetch_json(url: str) -> dict[str, Any]:
    """GET a JSON document (the JWKS). urllib, not httpx: botocore already imported it, so
    the cold start pays nothing for it (httpx and its CLI extras cost ~45 ms to import)."""
    with urllib.request.urlopen(url, timeout=5.0) as response:  # raises on 4xx/5xx
        document: dict[str, Any] = json.load(response)
    return document


@cache
def get_verifier() -> TokenVerifier:
    settings = get_settings()
    return TokenVerifier(
        issuer=settings.issuer,
        client_id=settings.user_pool_client_id,
        jwks=Jwks(settings.jwks_url, _fetch_json),
        leeway=settings.jwt_leeway_seconds,
    )


@cache
def get_revocations() -> RevocationStore:
    return RevocationStore(cache_seconds=get_settings().revocation_cache_seconds)


@dataclass(frozen=True, slots=True)
class AuthUser:
    """The caller, as proven by a verified, unrevoked Cognito access token."""

    id: str
    claims: AccessClaims
    access_token: str


async def current_user(
    token: Annotated[str | None, Depends(oauth2_scheme)],
    verifier: Annotated[TokenVerifier, Depends(get_verifier)],
    revocations: Annotated[RevocationStore, Depends(get_revocations)],
) -> AuthUser:
    if not token:
        raise Unauthorized("Send a Cognito access token as `Authorization: Bearer <token>`.")
    try:
        claims = verifier.verify(token)
    except InvalidToken as exc:
        raise Unauthorized(f"The access token was refused: {exc}.") from exc
    record = revocations.cached(claims.sub) or await run_blocking(revocations.get, claims.sub)
    if record.refuses(claims):
        raise Unauthorized("The access token was revoked by a logout.")
    observability.append_keys(user_id=claims.sub)
    return AuthUser(id=claims.sub, claims=claims, access_token=token)


CurrentUser = Annotated[AuthUser, Depends(current_user)]
