"""Request facts the sharing routes record or answer with: the client's IP and the base URL."""

from typing import Annotated

from fastapi import Depends, Request

from app.settings import get_settings


def client_ip(request: Request) -> str | None:
    """The caller's IP: API Gateway's sourceIp on Lambda, else the socket's peer."""
    event = request.scope.get("aws.event")
    if isinstance(event, dict):
        context = event.get("requestContext") or {}
        source = (context.get("http") or {}).get("sourceIp") or (context.get("identity") or {}).get(
            "sourceIp"
        )
        if source:
            return str(source)
    return request.client.host if request.client else None


def public_base_url(request: Request) -> str:
    """Where link pages live: PUBLIC_BASE_URL, else the URL this request came in on."""
    configured = get_settings().public_base_url
    return (configured or str(request.base_url)).rstrip("/")


def page_url(base_url: str, page: str, token: str) -> str:
    """The web page a token opens: `/s/<token>` for a link, `/r/<token>` for an upload request."""
    return f"{base_url}/{page}/{token}"


async def _client_ip(request: Request) -> str | None:
    return client_ip(request)


async def _public_base_url(request: Request) -> str:
    return public_base_url(request)


# Async wrappers: FastAPI runs a sync dependency in a worker thread, and under Mangum (a new
# event loop per invocation) that is a thread start per request.
ClientIp = Annotated[str | None, Depends(_client_ip)]
BaseUrl = Annotated[str, Depends(_public_base_url)]
