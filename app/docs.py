"""The docs pages, /docs (Swagger UI) and /redoc, with their assets served from here: no CDN.

Swagger UI's and ReDoc's files come from the fastapi-offline package, located but never
imported (only its static files are used), and only when a docs page is asked for: /health
and the API routes do not load this module (app/main.py's route groups). Every URL carries
the stage prefix (`root_path`), so the pages work at `/<stage>/docs` behind execute-api.

Each page gets a Content-Security-Policy: scripts from here only, plus the one inline script
of Swagger UI's page, allowed by its sha256 (it names the schema URL, so it differs by root
path). The Authorize button's password flow posts to /auth/token: same origin.
"""

import base64
import hashlib
import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from app.errors import NotFound
from app.routing import AppRoute

ASSETS_PATH = "/docs/assets"
# The only files served, with their types (whatever the platform's mimetypes say).
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
ASSET_HEADERS = {**PAGE_HEADERS, "Cache-Control": "public, max-age=86400"}
SWAGGER_PARAMETERS = {
    "persistAuthorization": True,
    # Swagger UI's default sends the schema's URL to an outside validator for a badge.
    "validatorUrl": None,
}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

router = APIRouter(include_in_schema=False, route_class=AppRoute)


def content_security_policy(script_hashes: tuple[str, ...] = (), *, inline_styles: bool) -> str:
    """ReDoc injects its styles as <style> elements and searches in a blob: worker."""
    scripts = " ".join(("'self'", *(f"'sha256-{digest}'" for digest in script_hashes)))
    styles = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src {scripts}",
            f"style-src {styles}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        )
    )


@lru_cache
def _assets_dir() -> Path:
    spec = importlib.util.find_spec("fastapi_offline")  # locates it without importing it
    if spec is None or spec.origin is None:
        raise RuntimeError("fastapi-offline (the docs pages' assets) is not installed")
    return Path(spec.origin).parent / "static"


def _root(request: Request) -> str:
    """The stage prefix, percent-encoded: it goes inside the hash-allowed inline script."""
    root: str = request.scope.get("root_path", "")
    return quote(root.rstrip("/"), safe="/")


def _inline_script_hashes(page: str) -> tuple[str, ...]:
    return tuple(
        base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        for script in _INLINE_SCRIPT.findall(page)
    )


@lru_cache(maxsize=16)
def _swagger_page(root: str, title: str) -> tuple[str, str]:
    """(page, its CSP) for one root path."""
    page = bytes(
        get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json",
            title=f"{title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            oauth2_redirect_url=None,  # the password flow never redirects
            swagger_ui_parameters=SWAGGER_PARAMETERS,
        ).body
    ).decode()
    return page, content_security_policy(_inline_script_hashes(page), inline_styles=False)


@lru_cache(maxsize=16)
def _redoc_page(root: str, title: str) -> tuple[str, str]:
    page = bytes(
        get_redoc_html(
            openapi_url=f"{root}/openapi.json",
            title=f"{title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            with_google_fonts=False,
        ).body
    ).decode()
    return page, content_security_policy(_inline_script_hashes(page), inline_styles=True)


def _page(page_and_policy: tuple[str, str]) -> HTMLResponse:
    page, policy = page_and_policy
    return HTMLResponse(page, headers={**PAGE_HEADERS, "Content-Security-Policy": policy})


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    return _page(_swagger_page(_root(request), request.app.title))


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    return _page(_redoc_page(_root(request), request.app.title))


@router.get(ASSETS_PATH + "/{name}")
async def asset(name: str) -> FileResponse:
    media_type = ASSETS.get(name)
    if media_type is None:
        raise NotFound("No such file.")
    policy = content_security_policy(inline_styles=False)
    return FileResponse(
        _assets_dir() / name,
        media_type=media_type,
        headers={**ASSET_HEADERS, "Content-Security-Policy": policy},
    )
