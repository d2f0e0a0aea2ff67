"""API Gateway stage prefixes: route `/dev/files` as `/files` with `root_path="/dev"`.

Mangum passes HTTP API v2's rawPath through untouched (stage included) and never sets
root_path, so without this the routes 404 behind a named stage and the docs page asks for
`/openapi.json` outside the stage.
"""

from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send


def stage_prefix(event: dict[str, Any]) -> str:
    """The path prefix a client sees in front of our routes, "" when there is none."""
    context = event.get("requestContext") or {}
    stage = context.get("stage")
    domain = str(context.get("domainName") or "")
    # Custom domains map a stage to a base path of their own, so only the default
    # execute-api host carries the stage name in the URL.
    if not stage or stage == "$default" or not domain.endswith(".amazonaws.com"):
        return ""
    return f"/{stage}"


class StagePrefixMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        event = scope.get("aws.event")
        if scope["type"] == "http" and isinstance(event, dict):
            prefix = stage_prefix(event)
            if prefix:
                scope = dict(scope)
                path: str = scope["path"]
                if path == prefix or path.startswith(prefix + "/"):
                    scope["path"] = path[len(prefix) :] or "/"
                    raw = scope.get("raw_path")
                    if raw:
                        scope["raw_path"] = raw[len(prefix) :] or b"/"
                scope["root_path"] = prefix
        await self.app(scope, receive, send)
