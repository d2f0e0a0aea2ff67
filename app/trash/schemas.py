"""Response bodies of the trash routes (camelCase on the wire)."""

from typing import Annotated

from pydantic import Field

from app.folders.schemas import FileEntry, FolderEntry
from app.schemas import CamelModel


class TrashedFolder(FolderEntry):
    trashed_at: str
    purge_at: str = Field(description="When it is deleted for good, unless restored first.")


class TrashedFile(FileEntry):
    trashed_at: str
    purge_at: str = Field(description="When it is deleted for good, unless restored first.")


TrashEntry = Annotated[TrashedFolder | TrashedFile, Field(discriminator="type")]
Restored = Annotated[FolderEntry | FileEntry, Field(discriminator="type")]


class TrashPage(CamelModel):
    items: list[TrashEntry]
    next_cursor: str | None
