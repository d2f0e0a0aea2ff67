"""The trash routes: thin wrappers over app.trash.service (API.md v2 > Trash)."""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.auth.dependencies import CurrentUser
from app.blocking import run_blocking
from app.errors import problem_responses
from app.pagination import Cursor, Limit
from app.routing import AppRoute
from app.trash import service
from app.trash.schemas import Restored, TrashPage

router = APIRouter(prefix="/trash", tags=["trash"], route_class=AppRoute)

ItemId = Annotated[
    str, Path(alias="id", max_length=64, description="The id of a trashed file or folder.")
]


@router.get("", responses=problem_responses(400, 401))
async def list_trash(user: CurrentUser, limit: Limit = 50, cursor: Cursor = None) -> TrashPage:
    """What you deleted (not what was inside it), most recently deleted first, with when each
    goes for good."""
    return await run_blocking(service.list_trash, user.id, limit, cursor)


@router.delete(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_class=Response,
    responses=problem_responses(401)
    | {202: {"description": "Accepted: it empties in the background (no body)."}},
)
async def empty_trash(user: CurrentUser) -> Response:
    """Empty your trash: everything in it now goes for good, in the background."""
    await run_blocking(service.empty, user.id)
    return Response(status_code=status.HTTP_202_ACCEPTED)


@router.post("/{id}/restore", responses=problem_responses(401, 404))
async def restore(item_id: ItemId, user: CurrentUser) -> Restored:
    """Put it back where it was (at your top level if that folder is gone): it is in your
    lists again, and its shares and links work again."""
    return await run_blocking(service.restore, user.id, item_id)


@router.delete(
    "/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401, 404)
)
async def delete_for_good(item_id: ItemId, user: CurrentUser) -> Response:
    """Delete it for good: every stored version, thumbnails, shares and links; its bytes stop
    counting (a folder's contents go within moments, in the background)."""
    await run_blocking(service.delete_for_good, user.id, item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
