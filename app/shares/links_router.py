"""A file's public links: the owner's routes under /files/{fileId}/links."""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

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
    LinkList,
)

router = APIRouter(prefix="/files", tags=["links"], route_class=AppRoute)

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
