"""Who is calling: the current-user dependency every protected route builds on."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from app import observability
from app.auth.revocation import RevocationStore
from app.auth.tokens import AccessClaims, InvalidToken, Jwks, TokenVerifier
from app.blocking import run_blocking
from app.errors import Forbidden, Unauthorized
from app.settings import get_settings

SCHEME = "OAuth2PasswordBearer"  # the security scheme's name in the OpenAPI document
ADMINS_GROUP = "admins"  # the pool group whose members administer Sharebox (template.yaml)


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
def token_verifier() -> TokenVerifier:
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


@dataclass(frozen=True, slots=True)
class AuthUser:
    """The caller, as proven by a verified, unrevoked Cognito access token."""

    id: str
    claims: AccessClaims
    access_token: str

    @property
    def is_admin(self) -> bool:
        """A member of the pool's `admins` group when the token was issued."""
        return ADMINS_GROUP in self.claims.groups


class BearerUser(OAuth2PasswordBearer):
    """The caller, proven by the request's `Authorization: Bearer <access token>`.

    FastAPI's OAuth2 password flow, so the docs page's Authorize button logs in through
    `auth/token` and every operation that depends on it declares the security scheme. Its call
    also verifies the token: one dependency, not a chain (app/files/dependencies.py says what
    a chain costs).
    """

    def __init__(self, verifier: Callable[[], TokenVerifier]) -> None:
        # A relative tokenUrl works behind an API Gateway stage too; auto_error=False, so a
        # missing token is our problem+json 401.
        super().__init__(tokenUrl="auth/token", scheme_name=SCHEME, auto_error=False)
        self.verifier = verifier

    # `async`: FastAPI runs a sync dependency in a worker thread, and under Mangum every
    # invocation has a new event loop, so a sync one costs a thread start per request.
    async def __call__(self, request: Request) -> AuthUser:  # type: ignore[override]
        return await self.authenticate(request)

    async def authenticate(self, request: Request) -> AuthUser:
        """The caller of `request`, or Unauthorized."""
        token = await super().__call__(request)
        if not token:
            raise Unauthorized("Send a Cognito access token as `Authorization: Bearer <token>`.")
        try:
            claims = self.verifier().verify(token)
        except InvalidToken as exc:
            raise Unauthorized(f"The access token was refused: {exc}.") from exc
        revocations = revocation_store()
        record = revocations.cached(claims.sub)
        if record is None:
            record = await run_blocking(revocations.get, claims.sub)
        if record.refuses(claims):
            raise Unauthorized(
                "The access token was revoked (a logout, or the account was disabled)."
            )
        observability.append_keys(user_id=claims.sub)
        return AuthUser(id=claims.sub, claims=claims, access_token=token)


# Tests override it with `BearerUser(lambda: verifier_that_trusts_moto)`.
current_user = BearerUser(token_verifier)
CurrentUser = Annotated[AuthUser, Depends(current_user)]


async def admin_user(user: CurrentUser) -> AuthUser:
    """The caller, if the token says they are in the `admins` group; else 403 `forbidden`."""
    if not user.is_admin:
        raise Forbidden("Only administrators may do this.")
    return user


# Built on `CurrentUser` the FastAPI way (admin routes are not hot): overriding
# `current_user` in tests overrides this too.
AdminUser = Annotated[AuthUser, Depends(admin_user)]
