"""One-click unsubscribe, with no login: the page an email's link opens, and the POST that
stops that kind of email (RFC 8058's one-click, and the page's button)."""

import html
from typing import Annotated

from fastapi import APIRouter, Form, Path
from fastapi.responses import HTMLResponse

from app.blocking import run_blocking
from app.errors import NotFound, problem_responses
from app.notifications import unsubscribe
from app.notifications.unsubscribe import Unsubscribe
from app.routing import AppRoute

router = APIRouter(prefix="/unsubscribe", tags=["notifications"], route_class=AppRoute)

Token = Annotated[str, Path(max_length=1024, description="The token of the email's link.")]
# The page holds a bearer token in its URL: no referrer, no caching, no framing, nothing
# loaded from anywhere, its one form posting back to itself.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
}


class UnsubscribeNotFound(NotFound):
    code, detail = "unsubscribe_not_found", "This unsubscribe link is not valid."


def _read(token: str) -> Unsubscribe:
    found = unsubscribe.read_token(token)
    if found is None:
        raise UnsubscribeNotFound()
    return found


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · Sharebox</title>"
        "<style>body{font-family:sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;"
        "line-height:1.5}button{font-size:1rem;padding:.5rem 1rem}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>\n",
        headers=PAGE_HEADERS,
    )


@router.get("/{token}", response_class=HTMLResponse, responses=problem_responses(404, 422))
async def unsubscribe_page(token: Token) -> HTMLResponse:
    """The page an email's unsubscribe link opens: what it stops, and a button that stops it.

    Opening it changes nothing (mail scanners open links); the button POSTs.
    """
    what = _read(token).what_stops()
    return _page(
        "Unsubscribe",
        f"<p>Stop {html.escape(what)}?</p>"
        '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
        "<button type=submit>Unsubscribe</button></form>",
    )


@router.post("/{token}", response_class=HTMLResponse, responses=problem_responses(404, 422))
async def unsubscribe_now(
    token: Token,
    one_click: Annotated[
        str | None,
        Form(
            alias="List-Unsubscribe",
            description="`One-Click`, as mail clients send it (RFC 8058); optional.",
        ),
    ] = None,
) -> HTMLResponse:
    """Stop the kind of email the link names; needs no login and may be repeated."""
    found = _read(token)
    await run_blocking(unsubscribe.apply, found)
    return _page("Unsubscribed", f"<p>Done: no more {html.escape(found.what_stops())}.</p>")
