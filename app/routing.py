"""Routers that skip themselves at once for a path outside their prefix.

FastAPI tries every route of every included router in turn, and a request for
`/files/{fileId}` walked all ~30 routes before its own: about 50 µs per request on Lambda,
most of the app's warm overhead. A router whose routes all start with its prefix can say
"not mine" with one string comparison.
"""

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope


def route_path(scope: Scope) -> str:
    """The path routes see: the request path without the root path (API Gateway's stage)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        return path[len(root) :]
    return path


class PrefixRouter(APIRouter):
    def __init__(self, *, prefix: str, **kwargs: object) -> None:
        if not prefix.startswith("/") or prefix.endswith("/"):
            raise ValueError(f"a PrefixRouter needs a prefix like '/files', not {prefix!r}")
        super().__init__(prefix=prefix, **kwargs)  # type: ignore[arg-type]

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = route_path(scope)
        if path != self.prefix and not path.startswith(self.prefix + "/"):
            return Match.NONE, {}
        return super().matches(scope)
