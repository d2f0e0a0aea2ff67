"""The routes a public link's visitor calls, under /links/{token} (no sign-in)."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.blocking import run_blocking
from app.clock import Clock
from app.errors import problem_responses
from app.pagination import Cursor, Limit
from app.request_facts import ClientIp
from app.routing import AppRoute
from app.shares import visitors
from app.shares.links_router import Token
from app.shares.public_schemas import (
    LinkDownload,
    LinkDownloadUrl,
    LinkInfo,
    LinkItems,
    LinkUnlock,
    LinkVisit,
)

public_router = APIRouter(prefix="/links", tags=["links"], route_class=AppRoute)


@public_router.get("/{token}", responses=problem_responses(404), response_model_exclude_none=True)
async def link_info(token: Token, clock: Clock) -> LinkInfo:
    """What a link points to (no sign-in): its expiry and whether it needs a password.

    Without a password also the file's name, type and size; a password link tells those only
    to a download with the right password.
    """
    return await run_blocking(visitors.link_info, token, clock())


@public_router.post(
    "/{token}/unlock",
    responses=problem_responses(401, 404, 429),
    response_model_exclude_none=True,
)
async def unlock(
    token: Token, ip: ClientIp, clock: Clock, body: LinkUnlock | None = None
) -> LinkVisit:
    """Give a password link's password once; get a `key` for the rest of the visit (30 min).

    Also tells what the link opens. Counts no download. Password attempts are limited as for
    downloads.
    """
    password = body.password if body else None
    return await run_blocking(visitors.unlock, token, password, ip=ip, now=clock())


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
    return await run_blocking(visitors.items, token, folder_id, key, limit, cursor, clock())


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
        visitors.download,
        token,
        body.password,
        key=body.key,
        file_id=body.file_id,
        ip=ip,
        now=clock(),
    )
