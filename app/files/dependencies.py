"""Load-and-authorize dependencies: a route gets a file only if the caller may see it.

Unknown, malformed and forbidden ids all raise the same 404 `file_not_found`, so no answer
tells a stranger that a file id exists.
"""

import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request

from app import observability
from app.access import shares
from app.access.subjects import is_file_id
from app.auth.dependencies import BearerUser, token_verifier
from app.blocking import run_blocking
from app.files import repository as repo
from app.files.errors import FileNotFound
from app.files.repository import FileRecord
from app.tree import access as tree_access

FileId = Annotated[str, Path(alias="fileId", max_length=64, description="The file's id.")]


def _can_read(record: FileRecord, user_id: str) -> bool:
    """Whether `user_id` may see the file: its owner, someone it is shared with, or someone a
    folder above it is shared with (one more read and one BatchGetItem, at any depth)."""
    if record.owner_id == user_id:
        return True
    if record.folder_id is None:
        return shares.is_shared_with(record.file_id, user_id)
    return tree_access.can_read_in(record.folder_id, user_id, also=(record.file_id,))


def _load_readable(file_id: str, user_id: str) -> FileRecord:
    record = repo.get_file(file_id) if is_file_id(file_id) else None
    if record is None or record.gone(time.time()) or not _can_read(record, user_id):
        raise FileNotFound()
    return record


@dataclass(frozen=True, slots=True)
class FileView:
    """A file the caller may read, and who the caller is (its owner or a recipient)."""

    record: FileRecord
    viewer_id: str


# Each file dependency is the security scheme too (it verifies the caller's token, as
# `CurrentUser` does), so a file route resolves one dependency. Built the FastAPI way, as a
# file dependency on `CurrentUser`, the hottest route (GET /files/{fileId}) solved four
# dependencies instead of two and `make bench`'s warm rows read 1.95 and 2.25 against their
# target of 2 (1.82 and 2.07 this way; README "Performance"). Tests override these two as
# they override `current_user`.


class OwnedFileAccess(BearerUser):
    """The caller's own file, by the path's `fileId`."""

    async def __call__(self, request: Request, file_id: FileId) -> FileRecord:  # type: ignore[override]
        user = await self.authenticate(request)
        observability.append_keys(file_id=file_id)
        record = await run_blocking(repo.get_file, file_id) if is_file_id(file_id) else None
        if record is None or record.owner_id != user.id or record.gone(time.time()):
            raise FileNotFound()
        return record


class ReadableFileAccess(BearerUser):
    """A file the caller owns or that was shared with them, by the path's `fileId`."""

    async def __call__(self, request: Request, file_id: FileId) -> FileView:  # type: ignore[override]
        user = await self.authenticate(request)
        observability.append_keys(file_id=file_id)
        return FileView(await run_blocking(_load_readable, file_id, user.id), user.id)


owned_file = OwnedFileAccess(token_verifier)
readable_file = ReadableFileAccess(token_verifier)
OwnedFile = Annotated[FileRecord, Depends(owned_file)]
ReadableFile = Annotated[FileView, Depends(readable_file)]
