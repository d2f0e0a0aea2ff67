"""Sharing a file with users, and its access log: thin routes over app.shares.service."""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.activity import service as activity_log
from app.activity.schemas import ActivityPage
from app.blocking import run_blocking
from app.clock import Clock
from app.errors import problem_responses
from app.files.dependencies import OwnedFile
from app.pagination import Cursor, Limit
from app.request_facts import ClientIp
from app.routing import AppRoute
from app.shares import service
from app.shares.schemas import Share, ShareCreate, ShareList

router = APIRouter(prefix="/files", tags=["sharing"], route_class=AppRoute)

UserId = Annotated[
    str,
    Path(
        alias="userId",
        max_length=254,
        description="The user's id, or the address of a pending invitation.",
    ),
]


@router.post(
    "/{fileId}/share",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 401, 404)
    | problem_responses(409, 429)
    | {200: {"description": "Already shared: the existing share."}},
)
async def share_file(
    body: ShareCreate, record: OwnedFile, response: Response, ip: ClientIp, clock: Clock
) -> Share:
    """Share your file with another Sharebox user, by `email` or `shareWithUserId`; they get
    an email (unless they turned those off).

    An address with no verified account yet is invited: `201` with `pending: true`, an
    invitation email, and the share is theirs once they sign up and verify that address.
    A file can be shared with at most 500 people and invitations; past that, 409 `limit_reached`.
    At most 50 new invitations a day (429 `too_many_invitations`).
    """
    share, created = await run_blocking(
        service.share_file,
        record,
        email=body.email,
        user_id=body.share_with_user_id,
        ip=ip,
        now=clock(),
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return share


@router.get("/{fileId}/shares", responses=problem_responses(400, 401, 404))
async def list_shares(record: OwnedFile, limit: Limit = 50, cursor: Cursor = None) -> ShareList:
    """Who your file is shared with (at most 500 people), a page at a time."""
    return await run_blocking(service.list_shares, record, limit, cursor)


@router.delete(
    "/{fileId}/shares/{userId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404),
)
async def unshare(record: OwnedFile, user_id: UserId, ip: ClientIp, clock: Clock) -> Response:
    """Stop sharing your file with a user (their next request for it is a 404), or withdraw
    an invitation: its email address in place of `userId`."""
    await run_blocking(service.unshare, record, user_id, ip=ip, now=clock())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{fileId}/activity", responses=problem_responses(400, 401, 404))
async def activity(record: OwnedFile, limit: Limit = 50, cursor: Cursor = None) -> ActivityPage:
    """Who shared, downloaded or opened links to your file, from which IP; newest first."""
    return await run_blocking(activity_log.page, record.file_id, limit, cursor)
