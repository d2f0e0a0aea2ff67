"""Routing for a cold start that pays only for what it serves, and a warm path without layers.

FastAPI builds a route when its module is imported: dependency analysis and a pydantic adapter
per request and response model, ~2 ms a route here. A Lambda that starts to answer `/health`
or `/links/{token}`, or to list files, need not build the ~30 routes of the rest, so the
routers come in groups by path, added the first time a request needs them (or the OpenAPI
schema asks for all). `make run` and SnapStart load every group up front.

A group's routes go onto the app's own router, flat, as `include_router` did before FastAPI
0.137: since then it keeps each included router as a node that every request resolves again
(tens of µs a request here). The routers are plain `APIRouter`s whose prefix and tags are
set on the router, never at inclusion, so a route is the same object either way. What flat
routes do not see is `app.dependency_overrides` (a route keeps the provider it was built
with): tests put their fakes on `app.state` instead.
"""

import importlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send


def route_path(scope: Scope) -> str:
    """The path routes see: the request path without the root path (API Gateway's stage)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        return path[len(root) :]
    return path


def _segments(path: str) -> tuple[str, ...]:
    """("files", "1", "links") for "/files/1/links"; ("",) for "/"."""
    return tuple(path.split("/")[1:])


@dataclass(frozen=True)
class RouteGroup:
    """Routers ("module:attribute", their routes tried in this order) serving these paths.

    A path is segments from the root, `*` for any one segment: "/files" serves itself and
    everything below it, "/files/*/links" a file's links and below, "/" the root alone. A
    request belongs to the group with the longest path that covers it.
    """

    paths: tuple[str, ...]
    routers: tuple[str, ...]

    def __post_init__(self) -> None:
        if any(not p.startswith("/") or (p != "/" and "" in _segments(p)) for p in self.paths):
            raise ValueError(
                f"paths look like '/files', '/files/*/links' or '/', not {self.paths!r}"
            )


def _covers(pattern: tuple[str, ...], segments: tuple[str, ...]) -> bool:
    if len(pattern) > len(segments):
        return False
    return all(want in ("*", got) for want, got in zip(pattern, segments, strict=False))


class LazyRoutes:
    """Adds each group's routes to `app` the first time something needs them.

    Groups keep their given order on the app's router whatever order they load in: the first
    group (the most used) is matched first on every request.
    """

    def __init__(self, app: FastAPI, groups: Iterable[RouteGroup]) -> None:
        self.app = app
        self.groups = tuple(groups)
        self.pending = list(self.groups)
        self._loaded: dict[RouteGroup, list[BaseRoute]] = {}
        self._lock = threading.Lock()
        # The pending groups' paths by first segment, longest first: a warm request whose
        # groups are all loaded finds an empty list.
        self._waiting: dict[str, list[tuple[tuple[str, ...], RouteGroup]]] = {}
        paths = [(_segments(path), group) for group in self.groups for path in group.paths]
        for segments, group in sorted(paths, key=lambda item: -len(item[0])):
            self._waiting.setdefault(segments[0], []).append((segments, group))

    def group_for(self, path: str) -> RouteGroup | None:
        """The group that serves `path`, if it is still to be loaded."""
        segments = _segments(path)
        for pattern, group in self._waiting.get(segments[0] if segments else "", ()):
            if _covers(pattern, segments):
                return group
        return None

    def load_for(self, path: str) -> None:
        group = self.group_for(path)
        if group is not None:
            self._load(lambda pending: pending is group)

    def load_all(self) -> None:
        if self.pending:
            self._load(lambda _group: True)

    def _load(self, wanted: Callable[[RouteGroup], bool]) -> None:
        with self._lock:  # a route is added once, even when two requests race
            for group in [g for g in self.pending if wanted(g)]:
                # every router's routes, or none: an import error leaves the group pending
                routes = [route for name in group.routers for route in import_router(name).routes]
                self._insert(group, routes)
                self.pending.remove(group)
                for waiting in self._waiting.values():
                    waiting[:] = [entry for entry in waiting if entry[1] is not group]

    def _insert(self, group: RouteGroup, routes: list[BaseRoute]) -> None:
        later = {
            id(route)
            for other in self.groups[self.groups.index(group) + 1 :]
            for route in self._loaded.get(other, ())
        }
        app_routes = self.app.router.routes
        at = next((i for i, route in enumerate(app_routes) if id(route) in later), len(app_routes))
        app_routes[at:at] = routes
        self._loaded[group] = routes


def import_router(name: str) -> APIRouter:
    """The router a group names as "module:attribute", its module imported on first use."""
    module, _, attribute = name.partition(":")
    router: APIRouter = getattr(importlib.import_module(module), attribute)
    return router


def load_all_routes(app: FastAPI) -> None:
    """Add every route group now (uvicorn's start-up, SnapStart's init phase)."""
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
