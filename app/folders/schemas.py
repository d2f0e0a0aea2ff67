"""Request and response bodies of the folder routes (camelCase on the wire)."""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from app.files.schemas import File, FileName, FolderRef
from app.schemas import CamelModel
from app.tree.repository import FolderRecord


class FolderCreate(CamelModel):
    name: FileName
    parent_id: FolderRef = None


class FolderUpdate(CamelModel):
    """Rename (`name`), move (`parentId`; null: the top level), or both."""

    name: FileName | None = None
    parent_id: FolderRef = None

    @model_validator(mode="after")
    def _something(self) -> "FolderUpdate":
        if not self.model_fields_set & {"name", "parent_id"}:
            raise ValueError("give `name`, `parentId` or both")
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("`name` cannot be null")
        return self

    @property
    def moves(self) -> bool:
        return "parent_id" in self.model_fields_set


class Folder(CamelModel):
    folder_id: str
    name: str
    parent_id: str | None = Field(description="null: the owner's top level.")
    owner_id: str
    created_at: str
    shared_with_me: bool

    @classmethod
    def from_record(cls, record: FolderRecord, viewer_id: str) -> "Folder":
        return cls(
            folder_id=record.folder_id,
            name=record.name,
            parent_id=record.parent_id,
            owner_id=record.owner_id,
            created_at=record.created_at,
            shared_with_me=viewer_id != record.owner_id,
        )


class PathStep(CamelModel):
    folder_id: str
    name: str


class FolderView(CamelModel):
    folder: Folder
    path: list[PathStep] = Field(
        description="From the highest folder you may see down to this folder's parent."
    )


class FolderEntry(CamelModel):
    type: Literal["folder"] = "folder"
    folder: Folder


class FileEntry(CamelModel):
    type: Literal["file"] = "file"
    file: File


Entry = Annotated[FolderEntry | FileEntry, Field(discriminator="type")]


class ItemPage(CamelModel):
    items: list[Entry]
    next_cursor: str | None


class SharedFolderEntry(FolderEntry):
    shared_at: str


class SharedFileEntry(FileEntry):
    shared_at: str


SharedEntry = Annotated[SharedFolderEntry | SharedFileEntry, Field(discriminator="type")]


class SharedPage(CamelModel):
    items: list[SharedEntry]
    next_cursor: str | None
