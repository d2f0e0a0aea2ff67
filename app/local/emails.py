"""`GET /local/emails`: what the notifications sender has sent, as `make run`'s SES kept it.

`make run` mounts it on its app (`mount`); the API function never has it (app/local is not
in the Lambda package). It reads the sent messages of the embedded emulator, which runs in
this process: moto's SES backend keeps them (`sent_messages`, the store moto documents for
reading sent email). Against an emulator elsewhere (AWS_ENDPOINT_URL) it lists nothing; the
log has every email either way.
"""

import email
import html
import re
from email import policy
from email.message import EmailMessage
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse

from app.routing import AppRoute
from app.settings import get_settings

router = APIRouter(prefix="/local", include_in_schema=False, route_class=AppRoute)
_URL = re.compile(r"https?://[^\s<>\"]+")


def sent_messages() -> list[EmailMessage]:
    """The raw emails the in-process emulator's SES took, oldest first."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend: Any = ses_backends[DEFAULT_ACCOUNT_ID][get_settings().aws_region]
    raw = [m.raw_data for m in backend.sent_messages if hasattr(m, "raw_data")]
    return [
        email.message_from_string(data, _class=EmailMessage, policy=policy.default) for data in raw
    ]


def _text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    return str(body.get_content()) if body is not None else ""


def _linked(text: str) -> str:
    """`text` escaped, its URLs made links (the developer follows them from here)."""
    escaped = html.escape(text, quote=False)
    return _URL.sub(lambda found: f'<a href="{found[0]}">{found[0]}</a>', escaped)


@router.get("/emails", response_class=HTMLResponse)
async def emails() -> HTMLResponse:
    """Every email sent since `make run` started, newest first."""
    items = [
        "<article><h2>{subject}</h2><p>To {to} · {date}</p><pre>{text}</pre></article>".format(
            subject=html.escape(str(m["Subject"])),
            to=html.escape(str(m["To"])),
            date=html.escape(str(m["Date"])),
            text=_linked(_text(m)),
        )
        for m in reversed(sent_messages())
    ]
    body = "\n".join(items) or "<p>No email has been sent yet.</p>"
    return HTMLResponse(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Sent emails</title>"
        "<style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto}"
        "pre{white-space:pre-wrap;background:#f4f5f7;padding:1rem}</style></head>"
        f"<body><h1>Sent emails ({len(items)})</h1>\n{body}</body></html>\n",
        headers={"Cache-Control": "no-store"},
    )


def mount(app: FastAPI) -> None:
    """Serve `/local/emails` from `app` (make run's, or a test's)."""
    app.include_router(router)
