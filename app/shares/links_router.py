"""Public links: the owner's routes under /files/{fileId}/links, the visitors' under /links."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from app.blocking import run_blocking
from app.clock import Clock
from app.errors import problem_responses
from app.files.dependencies import OwnedFile
from app.pagination import Cursor, Limit
from app.request_facts import BaseUrl, ClientIp
from app.routing import AppRoute
from app.shares import links
from app.shares.schemas import (
    Link,
    LinkCreate,
    LinkDownload,
    LinkDownloadUrl,
    LinkInfo,
    LinkItems,
    LinkList,
    LinkUnlock,
    LinkVisit,
)

router = APIRouter(prefix="/files", tags=["links"], route_class=AppRoute)
public_router = APIRouter(prefix="/links", tags=["links"], route_class=AppRoute)

Token = Annotated[str, Path(description="The link's token.")]


@router.post(
    "/{fileId}/links",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 404, 409),
)
async def create_link(
    body: LinkCreate, record: OwnedFile, base_url: BaseUrl, ip: ClientIp, clock: Clock
) -> Link:
    """A link anyone can download your file with, until it expires (60 s to 7 days).

    Optionally limit its downloads and protect it with a password (8 to 128 characters).
    A file can have at most 50 active links (not expired, revoked or out of downloads);
    past that, 409 `limit_reached`.
    """
    return await run_blocking(
        links.create_link, record, body, base_url=base_url, ip=ip, now=clock()
    )


@router.get("/{fileId}/links", responses=problem_responses(400, 401, 404))
async def list_links(
    record: OwnedFile, base_url: BaseUrl, limit: Limit = 50, cursor: Cursor = None
) -> LinkList:
    """Your file's links, newest first, with their download counts, a page at a time."""
    return await run_blocking(links.list_links, record, base_url, limit, cursor)


@router.delete(
    "/{fileId}/links/{token}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404),
)
async def revoke_link(record: OwnedFile, token: Token, ip: ClientIp, clock: Clock) -> Response:
    """Revoke a link now: it answers 404 from the next request on."""
    await run_blocking(links.revoke_link, record, token, ip=ip, now=clock())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@public_router.get("/{token}", responses=problem_responses(404), response_model_exclude_none=True)
async def link_info(token: Token, clock: Clock) -> LinkInfo:
    """What a link points to (no sign-in): its expiry and whether it needs a password.

    Without a password also the file's name, type and size; a password link tells those only
    to a download with the right password.
    """
    return await run_blocking(links.link_info, token, clock())


@public_router.post("/{token}/unlock", responses=problem_responses(401, 404, 429))
async def unlock(
    token: Token, ip: ClientIp, clock: Clock, body: LinkUnlock | None = None
) -> LinkVisit:
    """Give a password link's password once; get a `key` for the rest of the visit (30 min).

    Also tells what the link opens. Counts no download. Password attempts are limited as for
    downloads.
    """
    password = body.password if body else None
    return await run_blocking(links.unlock, token, password, ip=ip, now=clock())


@public_router.get("/{token}/items", responses=problem_responses(400, 401, 404))
async def items(
    token: Token,
    clock: Clock,
    folder_id: Annotated[
        str | None, Query(alias="folderId", max_length=64, description="Default: the link's.")
    ] = None,
    key: Annotated[
        str | None, Query(max_length=64, description="A password link's visit key (`unlock`).")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> LinkItems:
    """Browse a folder link: its folder or any folder below it, never above it."""
    return await run_blocking(links.items, token, folder_id, key, limit, cursor, clock())


@public_router.post("/{token}/download", responses=problem_responses(400, 401, 404, 429))
async def download(
    token: Token, ip: ClientIp, clock: Clock, body: LinkDownload | None = None
) -> LinkDownloadUrl:
    """Count one download and get a URL for the bytes that works for 60 seconds.

    Also names the file. A folder link needs `fileId`, a file anywhere below its folder.
    A password link takes its `password` or the visit's `key`. Password attempts are limited:
    5 per link and 20 per client IP every 5 minutes (the right password counts too); past
    that, 429 with `Retry-After`.
    """
    body = body or LinkDownload()
    return await run_blocking(
        links.download,
        token,
        body.password,
        key=body.key,
        file_id=body.file_id,
        ip=ip,
        now=clock(),
    )
