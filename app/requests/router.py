"""An owner's upload requests, under /folders/{folderId}/requests (API.md v2 "Requests")."""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.blocking import run_blocking
from app.clock import Clock
from app.errors import problem_responses
from app.folders.dependencies import OwnedFolder
from app.pagination import Cursor, Limit
from app.request_facts import BaseUrl
from app.requests import service
from app.requests.schemas import RequestCreate, UploadRequest, UploadRequestList
from app.routing import AppRoute

router = APIRouter(prefix="/folders", tags=["upload requests"], route_class=AppRoute)

Token = Annotated[str, Path(description="The upload request's token.")]


@router.post(
    "/{folderId}/requests",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 404, 409),
)
async def create_request(
    body: RequestCreate, folder: OwnedFolder, base_url: BaseUrl, clock: Clock
) -> UploadRequest:
    """Ask anyone you give the link (`url`) to send you files, straight into this folder,
    without an account, until it expires (60 s to 30 days).

    They see only the `title` and `message` and your name, never the folder, and cannot read
    back what they sent. What they send counts against your quota. Limit the number of files
    (`maxFiles`, up to 1000, the default) and each file's size (`maxFileBytes`), and protect it
    with a password (8 to 128 characters). A folder can have at most 20 live requests; past
    that, 409 `limit_reached`.
    """
    return await run_blocking(service.create_request, folder, body, base_url=base_url, now=clock())


@router.get("/{folderId}/requests", responses=problem_responses(400, 401, 404))
async def list_requests(
    folder: OwnedFolder, base_url: BaseUrl, limit: Limit = 50, cursor: Cursor = None
) -> UploadRequestList:
    """Your folder's upload requests, newest first, with the files each has received.

    Expired ones stay listed for a week; revoked ones leave at once.
    """
    return await run_blocking(service.list_requests, folder, base_url, limit, cursor)


@router.delete(
    "/{folderId}/requests/{token}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404),
)
async def revoke_request(folder: OwnedFolder, token: Token) -> Response:
    """Close an upload request now: its link takes no new file from the next request on.

    A file whose upload had already started still arrives.
    """
    await run_blocking(service.revoke_request, folder, token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
