"""The current-user dependency every protected route uses."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from app import observability
from app.auth.revocation import RevocationStore
from app.auth.tokens import AccessClaims, InvalidToken, Jwks, TokenVerifier
from app.blocking import run_blocking
from app.errors import Unauthorized
from app.settings import get_settings

# The docs page's Authorize button logs in through this OAuth2 password flow (app/openapi.py
# declares it on every route with a `requires_token` dependency). tokenUrl is relative so it
# works behind an API Gateway stage too.
SECURITY_SCHEME = "OAuth2PasswordBearer"
TOKEN_URL = "auth/token"

# The dependencies that call `authenticate`: a route that depends on one needs a token.
AUTHENTICATED: set[Callable[..., Any]] = set()


F = TypeVar("F", bound=Callable[..., Any])


def requires_token(dependency: F) -> F:
    """Mark a dependency that authenticates the caller (for the OpenAPI security of its routes)."""
    AUTHENTICATED.add(dependency)
    return dependency


def _fetch_json(url: str) -> dict[str, Any]:
    """GET the JWKS with urllib3, the HTTP client botocore has already imported.

    httpx would be a second HTTP stack on the cold path of the first authenticated request
    (about 45 ms of imports on this machine), for one GET per process. It keeps to the AWS
    budget's per-attempt bounds, with one retry.
    """
    import urllib3

    settings = get_settings()
    timeout = urllib3.Timeout(
        connect=settings.aws_connect_timeout_seconds, read=settings.aws_read_timeout_seconds
    )
    try:
        response = urllib3.request("GET", url, timeout=timeout, retries=urllib3.Retry(total=1))
    except urllib3.exceptions.HTTPError as exc:
        raise OSError(f"JWKS unreachable: {exc}") from exc
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


# The caller, once verified, kept in the request's scope. Not `request.state`: reading a
# missing attribute there raises and catches an AttributeError, a few µs on every request.
_USER_KEY = "sharebox.user"


@dataclass(frozen=True, slots=True)
class AuthUser:
    """The caller, as proven by a verified, unrevoked Cognito access token."""

    id: str
    claims: AccessClaims
    access_token: str


def _bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


async def authenticate(request: Request) -> AuthUser:
    """The caller of this request, verified once per request (the result is kept on it).

    A plain function, not a chain of dependencies: each FastAPI dependency costs ~13 µs per
    request on Lambda, and the file dependencies call this too. `request.app.state.verifier`,
    when set (tests; `create_app` sets it to None), replaces the process-wide verifier.
    """
    known: AuthUser | None = request.scope.get(_USER_KEY)
    if known is not None:
        return known
    token = _bearer_token(request)
    if not token:
        raise Unauthorized("Send a Cognito access token as `Authorization: Bearer <token>`.")
    token_verifier: TokenVerifier = request.app.state.verifier or verifier()
    try:
        claims = token_verifier.verify(token)
    except InvalidToken as exc:
        raise Unauthorized(f"The access token was refused: {exc}.") from exc
    revocations = revocation_store()
    record = revocations.cached(claims.sub)
    if record is None:
        record = await run_blocking(revocations.get, claims.sub)
    if record.refuses(claims):
        raise Unauthorized("The access token was revoked by a logout.")
    observability.append_keys(user_id=claims.sub)
    user = AuthUser(id=claims.sub, claims=claims, access_token=token)
    request.scope[_USER_KEY] = user
    return user


# `async def` on purpose: FastAPI runs a sync dependency in a worker thread, and under Mangum
# every invocation has a new event loop, so a sync dependency costs a thread start per request.
@requires_token
async def current_user(request: Request) -> AuthUser:
    return await authenticate(request)


CurrentUser = Annotated[AuthUser, Depends(current_user)]
