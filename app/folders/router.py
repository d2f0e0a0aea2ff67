"""The folder routes, "shared with me" and search: thin wrappers over app.folders (API.md v2)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.activity import service as activity_log
from app.activity.schemas import ActivityPage
from app.auth.dependencies import CurrentUser
from app.blocking import run_blocking
from app.errors import problem_responses
from app.folders import search as search_service
from app.folders import service
from app.folders.dependencies import FolderId, OwnedFolder
from app.folders.schemas import (
    Folder,
    FolderCreate,
    FolderUpdate,
    FolderView,
    ItemPage,
    SharedPage,
)
from app.pagination import Cursor, Limit
from app.routing import AppRoute

router = APIRouter(prefix="/folders", tags=["folders"], route_class=AppRoute)
shared_router = APIRouter(prefix="/shared", tags=["sharing"], route_class=AppRoute)
search_router = APIRouter(prefix="/search", tags=["folders"], route_class=AppRoute)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(401, 404, 409))
async def create_folder(body: FolderCreate, user: CurrentUser) -> Folder:
    """Create a folder at your top level, or in one of yours (`parentId`); 20 levels at most."""
    return await run_blocking(service.create_folder, user.id, body)


@router.get("/{folderId}", responses=problem_responses(401, 404))
async def get_folder(folder_id: FolderId, user: CurrentUser) -> FolderView:
    """A folder you own or that is shared with you (or sits below one), and its path."""
    return await run_blocking(service.view_folder, folder_id, user.id)


@router.get("/{folderId}/items", responses=problem_responses(400, 401, 404))
async def list_items(
    folder_id: FolderId, user: CurrentUser, limit: Limit = 50, cursor: Cursor = None
) -> ItemPage:
    """What is in a folder (`root`: your top level): folders by name, then files newest first."""
    return await run_blocking(service.list_items, folder_id, user.id, limit, cursor)


@router.patch("/{folderId}", responses=problem_responses(401, 404, 409))
async def update_folder(body: FolderUpdate, folder: OwnedFolder) -> Folder:
    """Rename your folder, move it (`parentId`; null: the top level), or both.

    Everything below moves with it. A move into itself or below itself is 409 `invalid_move`;
    one that would nest deeper than 20 levels is 409 `too_deep`.
    """
    return await run_blocking(service.update_folder, folder.folder_id, folder.owner_id, body)


@router.delete(
    "/{folderId}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401, 404)
)
async def delete_folder(folder: OwnedFolder) -> Response:
    """Delete your folder and everything below it. It is gone at once; the files' bytes, shares
    and links are purged in the background, which then frees their quota."""
    await run_blocking(service.delete_folder, folder.folder_id, folder.owner_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{folderId}/activity", responses=problem_responses(400, 401, 404))
async def activity(folder: OwnedFolder, limit: Limit = 50, cursor: Cursor = None) -> ActivityPage:
    """Who shared your folder, made or revoked its links, downloaded through them, or sent a
    file into it through one of your upload requests (`request_upload`, naming the file)."""
    return await run_blocking(activity_log.page, folder.folder_id, limit, cursor)


@shared_router.get("", responses=problem_responses(400, 401))
async def shared_with_me(user: CurrentUser, limit: Limit = 50, cursor: Cursor = None) -> SharedPage:
    """Files and folders other people shared with you, most recently shared first."""
    return await run_blocking(service.shared_with_me, user.id, limit, cursor)


Q = Annotated[str, Query(min_length=2, max_length=100, description="Part of a name.")]


@search_router.get("", responses=problem_responses(400, 401))
async def search(q: Q, user: CurrentUser, limit: Limit = 50, cursor: Cursor = None) -> ItemPage:
    """Your own files and folders whose name contains `q` (any case), folders first.

    Reads only your own items (never a table scan).
    """
    return await run_blocking(search_service.search, user.id, q, limit, cursor)
