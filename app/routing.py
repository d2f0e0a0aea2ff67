"""Route groups, so that a cold start pays only for the routes it serves.

FastAPI builds a route when its module is imported: dependency analysis and a pydantic adapter
per request and response model, ~2 ms a route here, ~170 ms of an ~860 ms cold start for all
of them. A Lambda that starts to answer `/health` or `/links/{token}`, or to list files, need
not build the rest, so the routers come in groups by the first segment of their paths
(app/main.py lists them), and a group's routes join the app the first time a request needs
them or the OpenAPI schema asks for all. `make run` and SnapStart load every group up front.

The routes join the app's own router as they are (flat), not through `app.include_router`:
since FastAPI 0.137 an included router stays a node that every request resolves again,
matching its routes twice, which measured +0.25-0.3 on `make bench`'s warm rows (~20 µs of a
~150 µs request; the target is 2x a bare route). What include_router would give them, the
app's `dependency_overrides`, comes from `AppRoute`: every router is built with
`route_class=AppRoute` (tests/test_routing.py fails on one that is not). What would remove
both: FastAPI serving an included router's routes without the per-request node it added in
0.137 (fastapi/fastapi#15745); `app.include_router` then costs nothing per request.
"""

import contextvars
import threading
import weakref
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class AppRoute(APIRoute):
    """An APIRoute that solves its dependencies with the overrides of the app serving the
    request (`app.dependency_overrides`), whichever app that is.

    FastAPI's request handler takes the overrides of the app the route was made for (its
    `dependency_overrides_provider`); ours are made at import, before any app. So the handler
    FastAPI builds (`get_route_handler`, its documented hook) is built once per app instead,
    with that app as the provider.
    """

    def get_route_handler(self) -> Handler:
        handlers: weakref.WeakKeyDictionary[Any, Handler] = weakref.WeakKeyDictionary()
        build = super().get_route_handler
        # What FastAPI knows while it makes the route (an `include_router`'s dependencies
        # and prefix, in a context variable) must hold when its handler is built later.
        made_in = contextvars.copy_context()
        lock = threading.Lock()

        def handler_for(app: Any) -> Handler:
            with lock:
                if app not in handlers:
                    self.dependency_overrides_provider = app
                    handlers[app] = made_in.run(build)
                return handlers[app]

        async def handle(request: Request) -> Response:
            handler = handlers.get(request.app) or handler_for(request.app)
            return await handler(request)

        return handle


def route_path(scope: Scope) -> str:
    """The path routes see: the request path without the root path (API Gateway's stage)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        return path[len(root) :]
    return path


def first_segment(path: str) -> str:
    """The first segment of a path: "files" for "/files/1/links", "" for "/"."""
    return path.split("/", 2)[1] if path.startswith("/") else ""


@dataclass(frozen=True)
class RouteGroup:
    """The routers serving every path under `paths` ("/files": "/files" and all below it;
    "/" the root alone), in the order FastAPI tries them. `routers` imports their modules
    when it is called."""

    paths: tuple[str, ...]
    routers: Callable[[], Sequence[APIRouter]]

    def __post_init__(self) -> None:
        if any(path != f"/{first_segment(path)}" for path in self.paths):
            raise ValueError(f"a group serves top-level paths like '/files' or '/': {self.paths}")


class LazyRoutes:
    """Includes each group's routers in `app` the first time something needs them.

    Groups keep their given order on the app's router whatever order they load in, so the
    OpenAPI document lists them the same way every time.
    """

    def __init__(self, app: FastAPI, groups: Iterable[RouteGroup]) -> None:
        self.app = app
        self.groups = tuple(groups)
        self.by_segment = {first_segment(p): group for group in self.groups for p in group.paths}
        if len(self.by_segment) != sum(len(group.paths) for group in self.groups):
            raise ValueError("two route groups serve the same path")
        self.pending = set(self.groups)
        self._included: dict[RouteGroup, list[object]] = {}
        self._lock = threading.Lock()

    def group_for(self, path: str) -> RouteGroup | None:
        """The group that serves `path` (loaded or not); None where no group does."""
        return self.by_segment.get(first_segment(path))

    def load_for(self, path: str) -> None:
        group = self.group_for(path)
        if group in self.pending:
            self._load([group])

    def load_all(self) -> None:
        if self.pending:
            self._load(self.groups)

    def _load(self, groups: Iterable[RouteGroup | None]) -> None:
        with self._lock:  # a router is included once, even when two requests race
            for group in groups:
                if group in self.pending:
                    self._include(group)
                    self.pending.discard(group)

    def _include(self, group: RouteGroup) -> None:
        routers = group.routers()  # an import error leaves the group pending
        routes = self.app.router.routes
        added = [route for router in routers for route in router.routes]
        later = {
            id(route)
            for other in self.groups[self.groups.index(group) + 1 :]
            for route in self._included.get(other, ())
        }
        at = next((i for i, route in enumerate(routes) if id(route) in later), len(routes))
        routes[at:at] = added
        self._included[group] = list(added)


class LazyRoutesMiddleware:
    """Before routing: include the group the request's path belongs to."""

    def __init__(self, app: ASGIApp, routes: LazyRoutes) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.routes.pending and scope["type"] == "http":
            self.routes.load_for(route_path(scope))
        await self.app(scope, receive, send)


def load_all_routes(app: FastAPI) -> None:
    """Include every route group now (uvicorn's start-up, SnapStart's init phase)."""
    routes: LazyRoutes = app.state.lazy_routes
    routes.load_all()
