"""Request and response bodies of the sharing routes (camelCase on the wire)."""

from typing import Annotated, Literal

from pydantic import (
    EmailStr,
    Field,
    model_validator,
)

from app.schemas import CamelModel

MIN_LINK_SECONDS, MAX_LINK_SECONDS = 60, 7 * 24 * 3600

MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS = 8, 128

Password = Annotated[
    str,
    Field(
        min_length=MIN_PASSWORD_CHARS,
        max_length=MAX_PASSWORD_CHARS,
        description="8..128 characters; visitors need it to download.",
    ),
]


class ShareCreate(CamelModel):
    """Share with a Sharebox user, named by exactly one of `email` or `shareWithUserId`."""

    email: EmailStr | None = None
    share_with_user_id: Annotated[str | None, Field(min_length=1, max_length=128)] = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "ShareCreate":
        if (self.email is None) == (self.share_with_user_id is None):
            raise ValueError("give exactly one of `email` or `shareWithUserId`")
        return self


class Share(CamelModel):
    user_id: str | None = Field(description="Null while the share is a pending invitation.")
    email: str
    shared_at: str
    pending: bool = Field(
        default=False,
        description="An invitation of an address with no verified account yet: delivered "
        "when that address signs up and is verified.",
    )


class ShareList(CamelModel):
    items: list[Share]
    next_cursor: str | None


class LinkCreate(CamelModel):
    expires_in: Annotated[
        int, Field(strict=True, ge=MIN_LINK_SECONDS, le=MAX_LINK_SECONDS, description="Seconds.")
    ]
    max_downloads: Annotated[int | None, Field(strict=True, ge=1, le=1_000_000)] = None
    password: Password | None = None


LinkType = Literal["file", "folder"]


class Link(CamelModel):
    token: str
    type: LinkType = "file"
    url: str
    expires_at: str
    max_downloads: int | None
    downloads: int
    password_protected: bool
    created_at: str


class LinkList(CamelModel):
    items: list[Link]
    next_cursor: str | None
