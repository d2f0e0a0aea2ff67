"""Sharing a folder and its public links: the file routes' twins under /folders/{folderId}.

A folder shared with a user, or opened through a link, shows everything below it, including
what is added later; the access checks are app.tree.access's.
"""

from fastapi import APIRouter, Response, status

from app.blocking import run_blocking
from app.clock import Clock
from app.errors import problem_responses
from app.folders.dependencies import OwnedFolder
from app.pagination import Cursor, Limit
from app.request_facts import BaseUrl, ClientIp
from app.routing import AppRoute
from app.shares import links, service
from app.shares.links_router import Token
from app.shares.router import UserId
from app.shares.schemas import Link, LinkCreate, LinkList, Share, ShareCreate, ShareList

router = APIRouter(prefix="/folders", tags=["sharing"], route_class=AppRoute)


@router.post(
    "/{folderId}/share",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 401, 404)
    | problem_responses(409, 429)
    | {200: {"description": "Already shared: the existing share."}},
)
async def share_folder(
    body: ShareCreate, folder: OwnedFolder, response: Response, ip: ClientIp, clock: Clock
) -> Share:
    """Share your folder, read-only, with another Sharebox user: they can browse and download
    everything below it, what you add later too, and nothing above it. At most 500 people.
    An address with no verified account yet is invited (`pending: true`), as for files."""
    share, created = await run_blocking(
        service.share_file,
        folder,
        email=body.email,
        user_id=body.share_with_user_id,
        ip=ip,
        now=clock(),
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return share


@router.get("/{folderId}/shares", responses=problem_responses(400, 401, 404))
async def list_shares(folder: OwnedFolder, limit: Limit = 50, cursor: Cursor = None) -> ShareList:
    """Who your folder is shared with, a page at a time."""
    return await run_blocking(service.list_shares, folder, limit, cursor)


@router.delete(
    "/{folderId}/shares/{userId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404),
)
async def unshare(folder: OwnedFolder, user_id: UserId, ip: ClientIp, clock: Clock) -> Response:
    """Stop sharing your folder with a user, at once for everything below it; or withdraw an
    invitation (its email address in place of `userId`)."""
    await run_blocking(service.unshare, folder, user_id, ip=ip, now=clock())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{folderId}/links",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 404, 409),
)
async def create_link(
    body: LinkCreate, folder: OwnedFolder, base_url: BaseUrl, ip: ClientIp, clock: Clock
) -> Link:
    """A link anyone can browse your folder with (subfolders included) and download any file
    in it, until it expires; each file download counts one against `maxDownloads`."""
    return await run_blocking(
        links.create_link, folder, body, base_url=base_url, ip=ip, now=clock()
    )


@router.get("/{folderId}/links", responses=problem_responses(400, 401, 404))
async def list_links(
    folder: OwnedFolder, base_url: BaseUrl, limit: Limit = 50, cursor: Cursor = None
) -> LinkList:
    """Your folder's links, newest first."""
    return await run_blocking(links.list_links, folder, base_url, limit, cursor)


@router.delete(
    "/{folderId}/links/{token}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404),
)
async def revoke_link(folder: OwnedFolder, token: Token, ip: ClientIp, clock: Clock) -> Response:
    """Revoke a folder link now."""
    await run_blocking(links.revoke_link, folder, token, ip=ip, now=clock())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
