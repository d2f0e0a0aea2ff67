"""Bodies of the routes a public link's visitor calls (camelCase on the wire): what a link
opens, its visit key, a folder link's pages, and a download."""

from typing import Annotated, Literal

from pydantic import Field

from app.files.schemas import DownloadUrl
from app.schemas import CamelModel
from app.shares.schemas import LinkType


class LinkInfo(CamelModel):
    """What a visitor may see before downloading.

    A password-protected link tells only `type`, `expiresAt` and `passwordProtected`: its
    `fileName`, `contentType` and `size` are absent (the route leaves out nulls), and come
    back with the download.
    """

    type: LinkType = "file"
    name: str | None = Field(
        default=None, description="A folder link's folder; absent for a password link."
    )
    file_name: str | None = Field(default=None, description="Absent for a password link.")
    content_type: str | None = Field(default=None, description="Absent for a password link.")
    size: int | None = Field(default=None, description="Absent for a password link.")
    expires_at: str
    password_protected: bool


# Longer than new links allow: links made before the 128-character rule still open.
LinkPassword = Annotated[str | None, Field(max_length=256)]
VisitKey = Annotated[
    str | None, Field(max_length=64, description="The key `unlock` handed out for this visit.")
]


class LinkUnlock(CamelModel):
    password: LinkPassword = None


class LinkDownload(CamelModel):
    password: LinkPassword = None
    key: VisitKey = None
    file_id: Annotated[
        str | None, Field(max_length=64, description="A file inside a folder link.")
    ] = None


class LinkVisit(CamelModel):
    """A key for the rest of the visit, and what the link opens."""

    key: str
    expires_in: int
    type: LinkType
    name: str = Field(description="The file's or the folder's name.")
    expires_at: str
    folder_id: str | None = Field(default=None, description="A folder link's folder.")
    file_name: str | None = None
    content_type: str | None = None
    size: int | None = None


class PublicFolder(CamelModel):
    folder_id: str
    name: str


class PublicFile(CamelModel):
    file_id: str
    file_name: str
    content_type: str
    size: int
    uploaded_at: str | None


class PublicFolderEntry(CamelModel):
    type: Literal["folder"] = "folder"
    folder: PublicFolder


class PublicFileEntry(CamelModel):
    type: Literal["file"] = "file"
    file: PublicFile


class PublicPathStep(CamelModel):
    folder_id: str
    name: str


class LinkItems(CamelModel):
    items: list[Annotated[PublicFolderEntry | PublicFileEntry, Field(discriminator="type")]]
    next_cursor: str | None
    path: list[PublicPathStep] = Field(
        description="From the link's folder down to the listed folder's parent."
    )


class LinkDownloadUrl(DownloadUrl):
    """The short-lived URL, and what it downloads (a password link's name shows only now)."""

    file_name: str
    content_type: str
    size: int
