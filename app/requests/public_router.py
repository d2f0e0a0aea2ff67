"""What a sender calls, under /requests/{token} (no sign-in)."""

from fastapi import APIRouter, status

from app.blocking import run_blocking
from app.clock import Clock
from app.errors import problem_responses
from app.request_facts import ClientIp
from app.requests import uploads
from app.requests.router import Token
from app.requests.schemas import RequestInfo, RequestUpload, RequestUploadTicket
from app.routing import AppRoute

public_router = APIRouter(prefix="/requests", tags=["upload requests"], route_class=AppRoute)


@public_router.get("/{token}", responses=problem_responses(404))
async def request_info(token: Token, clock: Clock) -> RequestInfo:
    """What an upload request asks for (no sign-in): its title and message, who asks, until
    when, whether it needs a password, and its limits."""
    return await run_blocking(uploads.request_info, token, clock())


@public_router.post(
    "/{token}/uploads",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 413, 429),
)
async def start_upload(
    token: Token, body: RequestUpload, ip: ClientIp, clock: Clock
) -> RequestUploadTicket:
    """Send one file: declare its name, type and size (and the request's `password`, and
    optionally your name and email for the person asking), then POST the returned `fields`
    plus the file (as `file`) to `upload.url`. The form takes exactly the declared size and
    type, and works for `upload.expiresIn` seconds (15 minutes by default).

    You get back only the new file's id: nothing you send can be read back through the request.
    401 `invalid_password`; 409 `limit_reached` when the request has all the files it takes;
    413 `file_too_large` over its `maxFileBytes`; 403 `quota_exceeded` when the person asking
    has no room left. Password attempts are limited as for links (5 per request and 20 per
    client IP every 5 minutes), and new uploads to 100 per client IP and 300 per request every
    5 minutes; past either, 429 with `Retry-After`.
    """
    return await run_blocking(uploads.start_upload, token, body, ip=ip, now=clock())
