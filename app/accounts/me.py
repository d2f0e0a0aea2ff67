"""The caller's own account: identity, usage, quota and which emails they get."""

from fastapi import APIRouter
from pydantic import Field, StrictBool, model_validator

from app.accounts.schemas import DisplayName
from app.auth import cognito
from app.auth.dependencies import AuthUser, CurrentUser
from app.blocking import run_blocking
from app.errors import problem_responses
from app.files import service as files
from app.routing import AppRoute
from app.schemas import CamelModel
from app.users import service as profiles
from app.users.repository import Profile

router = APIRouter(prefix="/users", tags=["users"], route_class=AppRoute)


class Usage(CamelModel):
    files: int
    bytes: int


class Quota(CamelModel):
    bytes: int


class NotificationSettings(CamelModel):
    shares: bool = Field(description="Emails when a file or folder is shared with you.")
    requests: bool = Field(description="Emails when files arrive through your upload requests.")
    rejections: bool = Field(description="Emails when an upload of yours is rejected.")


class Me(CamelModel):
    user_id: str
    email: str
    name: str | None
    usage: Usage
    quota: Quota
    notifications: NotificationSettings
    mfa: bool = Field(description="Two-factor (TOTP) login is on (POST /auth/mfa/enable).")
    admin: bool = Field(description="Whether you are an administrator (the `admins` group).")


class NotificationChanges(CamelModel):
    """The kinds of email to turn on (true) or off (false); the others stay as they are."""

    shares: StrictBool | None = None
    requests: StrictBool | None = None
    rejections: StrictBool | None = None

    @model_validator(mode="after")
    def _something(self) -> "NotificationChanges":
        if not self.model_fields_set:
            raise ValueError("give `shares`, `requests`, `rejections` or several")
        if any(getattr(self, kind) is None for kind in self.model_fields_set):
            raise ValueError("a notification setting is true or false, not null")
        return self


class MeUpdate(CamelModel):
    """Change your name (1..100 characters), which emails you get, or both."""

    name: DisplayName | None = None
    notifications: NotificationChanges | None = None

    @model_validator(mode="after")
    def _something(self) -> "MeUpdate":
        if not self.model_fields_set & {"name", "notifications"}:
            raise ValueError("give `name`, `notifications` or both")
        if any(getattr(self, key) is None for key in self.model_fields_set):
            raise ValueError("`name` and `notifications` cannot be null")
        return self


def _me(profile: Profile, admin: bool) -> Me:
    wanted = profile.notifications
    return Me(
        user_id=profile.user_id,
        email=profile.email,
        name=profile.name,
        usage=Usage(files=profile.file_count, bytes=profile.used_bytes),
        quota=Quota(bytes=profiles.quota_of(profile)),
        notifications=NotificationSettings(
            shares=wanted.shares, requests=wanted.requests, rejections=wanted.rejections
        ),
        mfa=profile.mfa,
        admin=admin,
    )


def _synced(user_id: str, access_token: str) -> Profile:
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
    return profile


def _load_me(user: AuthUser) -> Me:
    return _me(_synced(user.id, user.access_token), user.is_admin)


def _update_me(user: AuthUser, body: MeUpdate) -> Me:
    _synced(user.id, user.access_token)  # a user made outside this API gets a profile to change
    changes = body.notifications.model_dump(exclude_unset=True) if body.notifications else None
    profile = profiles.update_settings(user.id, name=body.name, notifications=changes)
    return _me(profile, user.is_admin)


@router.get("/me", responses=problem_responses(401))
async def me(user: CurrentUser) -> Me:
    """Who you are, how many files and bytes you use, your quota, which emails you get and
    whether two-factor login is on and whether you are an administrator."""
    return await run_blocking(_load_me, user)


@router.patch("/me", responses=problem_responses(401, 422))
async def update_me(body: MeUpdate, user: CurrentUser) -> Me:
    """Change your name, or turn kinds of email on or off (`notifications`: only the kinds
    given change). Answers your account as `GET /users/me` does."""
    return await run_blocking(_update_me, user, body)
