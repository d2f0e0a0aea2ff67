"""What the administrators' routes take and answer (API.md "Account security and
administration")."""

from typing import Annotated

from pydantic import Field, StrictBool, StrictInt, model_validator

from app.admin.audit import Action, Outcome
from app.schemas import CamelModel, CompactModel
from app.users.service import MAX_QUOTA_BYTES


class UserUsage(CamelModel):
    files: int = Field(description="Files stored, those in the trash included.")
    bytes: int = Field(
        description="Bytes counted against the quota: every kept version, and uploads in flight."
    )


class UserQuota(CamelModel):
    bytes: int
    custom: bool = Field(description="An administrator set it (`quotaBytes`); else the default.")


class AdminUserView(CamelModel):
    user_id: str
    email: str
    name: str | None
    created_at: str | None
    usage: UserUsage
    quota: UserQuota
    disabled: bool
    mfa: bool


class AdminUserPage(CamelModel):
    items: list[AdminUserView]
    next_cursor: str | None


QuotaBytes = Annotated[StrictInt, Field(ge=0, le=MAX_QUOTA_BYTES)]


class AdminUserUpdate(CamelModel):
    """Set the user's own quota in bytes (`quotaBytes`, 0..2^50; null: back to the default),
    disable them (`disabled: true`: signed out everywhere, their tokens refused at once) or
    enable them again, or both."""

    quota_bytes: QuotaBytes | None = None
    disabled: StrictBool | None = None

    @model_validator(mode="after")
    def _something(self) -> "AdminUserUpdate":
        if not self.model_fields_set & {"quota_bytes", "disabled"}:
            raise ValueError("give `quotaBytes`, `disabled` or both")
        if "disabled" in self.model_fields_set and self.disabled is None:
            raise ValueError("`disabled` is true or false, not null")
        return self

    @property
    def sets_quota(self) -> bool:
        return "quota_bytes" in self.model_fields_set


class AdminStats(CamelModel):
    users: int = Field(description="Accounts (with a profile), as of `countedAt`.")
    files: int = Field(description="Files stored by every user, as of `countedAt`.")
    bytes: int = Field(description="Bytes counted against quotas, as of `countedAt`.")
    # pydantic's camelCase would say uploadsLast24H
    uploads_last24h: int = Field(
        serialization_alias="uploadsLast24h",
        description="Uploads verified (new files and new versions) in the last 24 hours, "
        "counted in 10-minute windows: the oldest window may start up to 10 minutes late.",
    )
    active_links: int = Field(
        description="Public links that still work: not revoked, not out of downloads, and not "
        "expired before the current 10-minute window began."
    )
    counted_at: str | None = Field(
        description="When `users`, `files` and `bytes` were last counted (every few minutes); "
        "null before the first count."
    )


class AuditPerson(CompactModel):
    user_id: str
    email: str | None = None


class AuditEntry(CamelModel):
    at: str
    action: Action
    actor: AuditPerson = Field(description="The administrator who did it.")
    target: AuditPerson = Field(description="The user it was done to.")
    before: dict[str, bool | int | None] = Field(
        description="The fields the action was asked to change, as they were "
        "(`quotaBytes`: null is the default quota)."
    )
    after: dict[str, bool | int | None] = Field(description="The same fields afterwards.")
    outcome: Outcome = Field(
        description="`failed`: an error stopped it part way; `after` is what then held."
    )
    ip: str | None


class AuditPage(CamelModel):
    items: list[AuditEntry]
    next_cursor: str | None
