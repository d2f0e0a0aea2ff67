"""The access log as the owner reads it (`GET /files/{fileId}/activity`)."""

from typing import Any, Literal

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from app.schemas import CamelModel


class ActivityActor(CamelModel):
    """Who acted: a user (`userId`, `email`) and/or a link (`linkToken`); absent keys omitted."""

    user_id: str | None = None
    email: str | None = None
    link_token: str | None = None

    @model_serializer(mode="wrap")
    def _without_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {key: value for key, value in handler(self).items() if value is not None}


class ActivityEntry(CamelModel):
    at: str
    action: Literal[
        "shared", "unshared", "link_created", "link_revoked", "link_downloaded", "downloaded"
    ]
    actor: ActivityActor
    target: ActivityActor | None = Field(
        default=None, description="Whom a `shared` / `unshared` entry concerns."
    )
    ip: str | None


class ActivityPage(CamelModel):
    items: list[ActivityEntry]
    next_cursor: str | None
