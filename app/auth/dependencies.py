"""The current-user dependency every protected route uses."""

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
    """GET the JWKS with urllib3, the HTTP client botocore has already imported.

    httpx would be a second HTTP stack on the cold path of the first authenticated request
    (about 45 ms of imports on this machine), for one GET per process.
    """
    import urllib3

    response = urllib3.request(
        "GET", url, timeout=urllib3.Timeout(total=5.0), retries=urllib3.Retry(total=2)
    )
    if response.status != 200:
        raise OSError(f"JWKS answered HTTP {response.status}")
    document: dict[str, Any] = response.json()
    return document


@cache
def verifier() -> TokenVerifier:
    """The process-wide verifier (its JWKS keys and verified-token cache live as long)."""
    settings = get_settings()
    return TokenVerifier(
        issuer=settings.issuer,
        client_id=settings.user_pool_client_id,
        jwks=Jwks(settings.jwks_url, _fetch_json),
        leeway=settings.jwt_leeway_seconds,
    )


@cache
def revocation_store() -> RevocationStore:
    return RevocationStore(cache_seconds=get_settings().revocation_cache_seconds)


# The dependencies are `async def` on purpose: FastAPI runs a sync dependency in a worker
# thread, and under Mangum every invocation has a new event loop, so each sync dependency
# costs a thread start per request (the largest warm cost we measured).
async def get_verifier() -> TokenVerifier:
    return verifier()


async def get_revocations() -> RevocationStore:
    return revocation_store()


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
    record = revocations.cached(claims.sub)
    if record is None:
        record = await run_blocking(revocations.get, claims.sub)
    if record.refuses(claims):
        raise Unauthorized("The access token was revoked by a logout.")
    observability.append_keys(user_id=claims.sub)
    return AuthUser(id=claims.sub, claims=claims, access_token=token)


CurrentUser = Annotated[AuthUser, Depends(current_user)]
