"""The static web page: the app shell at `/`, `/s/{token}` (a public link) and `/r/{token}`
(an upload request), assets under `/static`.

The shell's `<base href>` carries the API Gateway stage prefix (`root_path`), so the page's
relative asset and API URLs work at `/` locally and at `/<stage>/` behind execute-api.
"""

import hashlib
import html
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse

from app.errors import NotFound
from app.routing import AppRoute
from app.settings import get_settings

STATIC = Path(__file__).parent / "static"
# The page and its modules change together; revalidate so a deploy never mixes versions.
NO_CACHE = {"Cache-Control": "no-cache"}
SHELL_HEADERS = {
    **NO_CACHE,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # link tokens live in the page URL
    "X-Frame-Options": "DENY",
}

# The page's styles, one file per component under static/css, in cascade order (a later file
# may refine an earlier one). They are served joined, as one stylesheet: behind API Gateway
# every asset request is a Lambda invocation.
STYLESHEETS = (
    "base.css",
    "layout.css",
    "buttons.css",
    "forms.css",
    "badges.css",
    "auth.css",
    "files.css",
    "folders.css",
    "thumbs.css",
    "uploads.css",
    "detail.css",
    "sharing.css",
    "versions.css",
    "trash.css",
    "public.css",
    "requests.css",
    "account.css",
    "security.css",
    "admin.css",
    "dialogs.css",
)

router = APIRouter(include_in_schema=False, route_class=AppRoute)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy() -> str:
    """Only our own scripts run; bytes move to and from S3 (or the local emulator) directly."""
    storage = "https:"
    endpoint = get_settings().aws_endpoint_url
    if endpoint:
        storage += f" {_origin(endpoint)}"
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: {storage}",
            f"connect-src 'self' {storage}",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
        )
    )


@lru_cache
def _shell() -> str:
    return (STATIC / "index.html").read_text(encoding="utf-8")


@router.get("/")
@router.get("/s/{token}")
@router.get("/r/{token}")
async def page(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    base = html.escape(f"{root}/", quote=True)
    headers = {**SHELL_HEADERS, "Content-Security-Policy": content_security_policy()}
    return HTMLResponse(
        _shell().replace('<base href="/">', f'<base href="{base}">', 1), headers=headers
    )


def joined_stylesheets() -> str:
    """Every component's stylesheet, in order; read on each request, so `make run` serves
    an edit at once (18 small files: well under a millisecond)."""
    return "\n".join(
        f"/* css/{name} */\n" + (STATIC / "css" / name).read_text(encoding="utf-8")
        for name in STYLESHEETS
    )


@router.get("/static/styles.css")
async def styles(request: Request) -> Response:
    body = joined_stylesheets().encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {**NO_CACHE, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/css; charset=utf-8", headers=headers)


@router.get("/static/{name:path}")
async def asset(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if not path.is_file() or STATIC.resolve() not in path.parents:
        raise NotFound("No such file.")
    return FileResponse(path, headers=NO_CACHE)
