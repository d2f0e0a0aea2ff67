"""Routing for a cold start that pays only for what it serves.

FastAPI builds a route when its module is imported: dependency analysis and a pydantic adapter
per request and response model, ~2 ms a route here. A Lambda that starts to answer `/health`
or `/links/{token}` need not build the ~30 routes of the rest, so the routers come in groups
by path prefix, included the first time a request needs them (or the OpenAPI schema
asks for all). `make run` and SnapStart load every group up front.

And for the warm path: FastAPI tries the routes of every included router in turn (about
1 µs each, twice for the router that matches), so a `PrefixRouter` skips itself at once for
a path outside its prefix.
"""

import importlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fastapi import APIRouter, FastAPI
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send


def route_path(scope: Scope) -> str:
    """The path routes see: the request path without the root path (API Gateway's stage)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        return path[len(root) :]
    return path


def under(path: str, prefix: str) -> bool:
    """Whether `path` is `prefix` or below it ("/" only matches itself)."""
    if prefix == "/":
        return path == "/"
    return path == prefix or path.startswith(prefix + "/")


class PrefixRouter(APIRouter):
    """An APIRouter whose routes all live under its prefix (or, given `paths`, under those)."""

    def __init__(self, *, prefix: str = "", paths: tuple[str, ...] = (), **kwargs: object) -> None:
        self.paths = paths or (prefix,)
        if any(not p.startswith("/") or (p != "/" and p.endswith("/")) for p in self.paths):
            raise ValueError(f"paths look like '/files', not {self.paths!r}")
        super().__init__(prefix=prefix, **kwargs)  # type: ignore[arg-type]

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = route_path(scope)
        if not any(under(path, p) for p in self.paths):
            return Match.NONE, {}
        return super().matches(scope)


@dataclass(frozen=True)
class RouteGroup:
    """Routers ("module:attribute", included in this order) serving the paths under prefixes."""

    prefixes: tuple[str, ...]
    routers: tuple[str, ...]

    def serves(self, path: str) -> bool:
        return any(under(path, prefix) for prefix in self.prefixes)


class LazyRoutes:
    """Includes each group's routers into `app` the first time something needs them."""

    def __init__(self, app: FastAPI, groups: Iterable[RouteGroup]) -> None:
        self.app = app
        self.pending = list(groups)
        self._lock = threading.Lock()

    def load_for(self, path: str) -> None:
        if any(group.serves(path) for group in self.pending):
            self._load(lambda group: group.serves(path))

    def load_all(self) -> None:
        if self.pending:
            self._load(lambda _group: True)

    def _load(self, wanted: Callable[[RouteGroup], bool]) -> None:
        with self._lock:  # a route is included once, even when two requests race
            for group in [g for g in self.pending if wanted(g)]:
                routers = [_resolve(name) for name in group.routers]  # all, or none included
                for router in routers:
                    self.app.include_router(router)
                self.pending.remove(group)


def _resolve(name: str) -> APIRouter:
    module, _, attribute = name.partition(":")
    router: APIRouter = getattr(importlib.import_module(module), attribute)
    return router


def load_all_routes(app: FastAPI) -> None:
    """Include every route group now (uvicorn's start-up, SnapStart's init phase)."""
    routes: LazyRoutes | None = getattr(app.state, "lazy_routes", None)
    if routes is not None:
        routes.load_all()


class LazyRoutesMiddleware:
    """Before routing: load the group the request's path belongs to."""

    def __init__(self, app: ASGIApp, routes: LazyRoutes) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.routes.pending and scope["type"] == "http":
            self.routes.load_for(route_path(scope))
        await self.app(scope, receive, send)
