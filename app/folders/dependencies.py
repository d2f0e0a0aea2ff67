"""The caller's own folder, by the path's `folderId`: 404 `folder_not_found` for anyone else's."""

from typing import Annotated

from fastapi import Depends, Path

from app import observability
from app.auth.dependencies import CurrentUser
from app.blocking import run_blocking
from app.tree import access
from app.tree.repository import FolderRecord

FolderId = Annotated[str, Path(alias="folderId", max_length=64, description="The folder's id.")]


async def owned_folder(user: CurrentUser, folder_id: FolderId) -> FolderRecord:
    observability.append_keys(folder_id=folder_id)
    return await run_blocking(access.owned, folder_id, user.id)


OwnedFolder = Annotated[FolderRecord, Depends(owned_folder)]
