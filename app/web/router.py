"""The static web page: the app shell at `/` and `/s/{token}`, assets under `/static`.

The shell's `<base href>` carries the API Gateway stage prefix (`root_path`), so the page's
relative asset and API URLs work at `/` locally and at `/<stage>/` behind execute-api.
"""

import html
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
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
async def page(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    base = html.escape(f"{root}/", quote=True)
    headers = {**SHELL_HEADERS, "Content-Security-Policy": content_security_policy()}
    return HTMLResponse(
        _shell().replace('<base href="/">', f'<base href="{base}">', 1), headers=headers
    )


@router.get("/static/{name:path}")
async def asset(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if not path.is_file() or STATIC.resolve() not in path.parents:
        raise NotFound("No such file.")
    return FileResponse(path, headers=NO_CACHE)
