"""The caller's own account: identity, usage and quota."""

from fastapi import APIRouter

from app.auth import cognito
from app.auth.dependencies import CurrentUser
from app.blocking import run_blocking
from app.errors import problem_responses
from app.files import service as files
from app.routing import AppRoute
from app.schemas import CamelModel
from app.settings import get_settings
from app.users import service as profiles

router = APIRouter(prefix="/users", tags=["users"], route_class=AppRoute)


class Usage(CamelModel):
    files: int
    bytes: int


class Quota(CamelModel):
    bytes: int


class Me(CamelModel):
    user_id: str
    email: str
    name: str | None
    usage: Usage
    quota: Quota


def _load_me(user_id: str, access_token: str) -> Me:
    files.sweep_expired(user_id)  # uploads that never landed stop counting once they expire
    # Cognito is the source of truth for the address and whether it is verified (the access
    # token carries neither): this creates the profile of a user made outside this API, and
    # moves the email lookup once a changed address is verified.
    attributes = cognito.user_attributes(access_token)
    profile = profiles.sync_profile(
        user_id,
        attributes.get("email", ""),
        verified=attributes.get("email_verified") == "true",
    )
    assert profile is not None
    return Me(
        user_id=user_id,
        email=profile.email,
        name=profile.name,
        usage=Usage(files=profile.file_count, bytes=profile.used_bytes),
        quota=Quota(bytes=get_settings().default_quota_bytes),
    )


@router.get("/me", responses=problem_responses(401))
async def me(user: CurrentUser) -> Me:
    """Who you are, how many files and bytes you use, and your quota."""
    return await run_blocking(_load_me, user.id, user.access_token)
