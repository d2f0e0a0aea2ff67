"""The access log as the owner reads it (`GET /files/{fileId}/activity`)."""

from pydantic import Field

from app.activity.log import Action
from app.schemas import CamelModel, CompactModel


class ActivityActor(CompactModel):
    """Who acted: a user (`userId`, `email`) and/or a link (`linkToken`), or whoever sent a
    file through an upload request (`requestToken`, with the `name` and `email` they gave);
    absent keys omitted."""

    user_id: str | None = None
    email: str | None = None
    link_token: str | None = None
    name: str | None = None
    request_token: str | None = None


class ActivityFile(CamelModel):
    file_id: str
    file_name: str


class ActivityEntry(CamelModel):
    at: str
    action: Action
    actor: ActivityActor
    target: ActivityActor | None = Field(
        default=None, description="Whom a `shared` / `unshared` entry concerns."
    )
    file: ActivityFile | None = Field(
        default=None, description="The file a `request_upload` entry of a folder's log concerns."
    )
    ip: str | None


class ActivityPage(CamelModel):
    items: list[ActivityEntry]
    next_cursor: str | None
