"""Route groups: added on first use, in their order, each serving exactly its paths, every
route answering with the overrides of the app that serves it."""

import importlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient

import app as app_package
from app.auth.dependencies import AuthUser, BearerUser, current_user
from app.errors import Forbidden, install_error_handlers
from app.main import ROUTE_GROUPS, create_app
from app.routing import AppRoute, LazyRoutes, RouteGroup, load_all_routes, route_path
from tests.conftest import ApiUser

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
from app.main import handler
from tests.test_main import LambdaContext, http_api_v2

def loaded():
    return sorted(m for m in sys.modules if m.endswith("router") and m.startswith("app."))

seen = {}
for request in sys.argv[1:]:
    method, path = request.split()
    event = http_api_v2(path)
    event["requestContext"]["http"]["method"] = method
    response = handler(event, LambdaContext())
    seen[request] = {"status": response["statusCode"], "routers": loaded()}
print(json.dumps(seen))
"""


def _cold(*paths: str) -> dict[str, dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *paths], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, dict[str, object]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_cold_health_builds_no_api_route() -> None:
    seen = _cold("GET /health", "DELETE /links/nope", "GET /files")
    assert seen["GET /health"] == {"status": 200, "routers": []}
    # /links/{token} needs the public links router only: its routes know DELETE is not theirs
    links = seen["DELETE /links/nope"]
    assert links["status"] == 405
    assert "app.accounts.router" not in links["routers"]
    assert "app.files.router" not in links["routers"]
    # an unauthenticated /files is refused, by the files routes, now built
    assert seen["GET /files"]["status"] == 401
    assert "app.files.router" in seen["GET /files"]["routers"]
    assert "app.accounts.router" not in seen["GET /files"]["routers"]


def test_the_schema_has_every_route_though_no_request_built_them(aws: object) -> None:
    app = create_app()
    with TestClient(app) as client:
        paths = client.get("/openapi.json").json()["paths"]
    assert {"/files", "/files/shared", "/files/{fileId}", "/links/{token}", "/auth/login"} <= set(
        paths
    )
    assert not app.state.lazy_routes.pending


def test_shared_is_not_taken_for_a_file_id(client: TestClient, user: ApiUser) -> None:
    # `/files/shared` and `/files/{fileId}` are in one group, in that order
    response = client.get("/files/shared", headers=user.headers)
    assert response.status_code == 200
    assert response.json()["items"] == []


def _routers() -> dict[int, tuple[str, APIRouter]]:
    """Every APIRouter a module of app/ defines (app/local only runs under `make run`)."""
    found: dict[int, tuple[str, APIRouter]] = {}
    root = Path(app_package.__file__).parent
    for path in sorted(root.rglob("*.py")):
        module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        if module.startswith("app.local") or module.endswith("__main__"):
            continue
        for name, value in vars(importlib.import_module(module)).items():
            if isinstance(value, APIRouter) and value.routes:
                found.setdefault(id(value), (f"{module}:{name}", value))
    return found


def test_every_route_of_every_router_is_served_by_the_group_that_includes_it() -> None:
    lazy = LazyRoutes(FastAPI(), ROUTE_GROUPS)
    grouped: dict[int, RouteGroup] = {}
    for group in ROUTE_GROUPS:
        for router in group.routers():
            assert id(router) not in grouped, "a router is in two groups"
            grouped[id(router)] = group
            for route in router.routes:
                assert lazy.group_for(route.path) is group, route.path  # type: ignore[attr-defined]
    missing = [name for key, (name, _router) in _routers().items() if key not in grouped]
    assert missing == [], f"routers no group includes: {missing}"


def test_every_router_makes_routes_that_see_the_apps_dependency_overrides() -> None:
    plain = [
        f"{name} {route.path}"  # type: ignore[attr-defined]
        for name, router in _routers().values()
        for route in router.routes
        if not isinstance(route, AppRoute)
    ]
    assert plain == [], "build these routers with APIRouter(..., route_class=AppRoute)"


def test_the_router_census_sees_every_router_module() -> None:
    names = {name for name, _router in _routers().values()}
    assert {
        "app.files.router:router",
        "app.shares.public_router:public_router",
        "app.docs:router",
    } <= names


def test_dependency_overrides_reach_routes_included_after_they_were_set(aws: object) -> None:
    app = create_app()
    assert app.state.lazy_routes.pending  # /files is not included yet
    somebody = AuthUser(id="nobody-shared-anything", claims=None, access_token="x")  # type: ignore[arg-type]
    app.dependency_overrides[current_user] = lambda: somebody
    with TestClient(app) as client:
        response = client.get("/files/shared")  # no token: only the override lets it in
    assert response.status_code == 200, response.text
    assert response.json() == {"items": [], "nextCursor": None}


def test_each_app_answers_with_its_own_overrides(aws: object) -> None:
    """Routes are shared by every app (they are built once, at import); overrides are not."""
    overridden, plain = create_app(), create_app()
    somebody = AuthUser(id="nobody-shared-anything", claims=None, access_token="x")  # type: ignore[arg-type]
    overridden.dependency_overrides[current_user] = lambda: somebody
    with TestClient(plain) as client:
        assert client.get("/files/shared").status_code == 401
    with TestClient(overridden) as client:
        assert client.get("/files/shared").status_code == 200
    with TestClient(plain) as client:
        assert client.get("/files/shared").status_code == 401


def test_racing_first_requests_include_each_router_once(aws: object) -> None:
    app = create_app()
    before = len(app.router.routes)
    barrier = threading.Barrier(8)

    def first_request() -> None:
        barrier.wait()
        app.state.lazy_routes.load_for("/files/abc")

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    files = app.state.lazy_routes.group_for("/files/abc")
    assert files not in app.state.lazy_routes.pending
    assert len(app.router.routes) == before + _route_count(files)
    load_all_routes(app)
    load_all_routes(app)
    assert len(app.router.routes) == before + sum(_route_count(g) for g in ROUTE_GROUPS)


def _route_count(group: RouteGroup) -> int:
    return sum(len(router.routes) for router in group.routers())


def _operations(app: FastAPI) -> list[str]:
    return [f"{m} {p}" for p, ops in app.openapi()["paths"].items() for m in ops]


def test_groups_keep_their_order_whatever_order_they_load_in(aws: object) -> None:
    in_order = create_app()
    load_all_routes(in_order)
    shuffled = create_app()
    shuffled.state.lazy_routes.load_for("/docs")  # later groups first
    shuffled.state.lazy_routes.load_for("/auth/login")
    shuffled.state.lazy_routes.load_for("/files")
    load_all_routes(shuffled)
    assert _operations(shuffled) == _operations(in_order)
    assert _operations(in_order)[0] == "get /health"
    assert _operations(in_order)[1].startswith("get /files")


def _demo_routers() -> tuple[APIRouter, ...]:
    return (demo_router,)


def test_a_group_is_loaded_for_its_first_segment_only() -> None:
    app = FastAPI()
    routes = LazyRoutes(app, [RouteGroup(("/tests",), _demo_routers)])
    routes.load_for("/testsuite")
    routes.load_for("/other")
    assert routes.pending
    routes.load_for("/tests/1")
    assert not routes.pending
    assert TestClient(app).get("/tests/1").json() == {"id": "1"}


demo_router = APIRouter(prefix="/tests")


@demo_router.get("/{item}")
async def demo(item: str) -> dict[str, str]:
    return {"id": item}


def _scope(path: str, root_path: str = "") -> dict[str, object]:
    return {"type": "http", "path": path, "root_path": root_path, "method": "GET"}


def test_the_route_path_leaves_out_the_stage() -> None:
    assert route_path(_scope("/dev/files/1", "/dev")) == "/files/1"
    assert route_path(_scope("/dev", "/dev")) == ""
    assert route_path(_scope("/development/files", "/dev")) == "/development/files"
    assert route_path(_scope("/files")) == "/files"


@pytest.mark.parametrize("path", ["/files/", "files", "", "/files/links"])
def test_a_group_serves_top_level_paths(path: str) -> None:
    with pytest.raises(ValueError):
        RouteGroup((path,), _demo_routers)


def test_two_groups_cannot_serve_one_path() -> None:
    with pytest.raises(ValueError):
        LazyRoutes(FastAPI(), [RouteGroup(("/tests",), _demo_routers)] * 2)


@pytest.mark.parametrize(
    ("path", "paths"),
    [
        ("/files", ("/files",)),
        ("/files/abc/download-url", ("/files",)),
        ("/files/shared", ("/files",)),
        ("/files/abc/links/tok", ("/files",)),
        ("/links/tok/download", ("/links",)),
        ("/", ("/", "/s", "/r", "/static")),
        ("/s/tok", ("/", "/s", "/r", "/static")),
        ("/r/tok", ("/", "/s", "/r", "/static")),
        ("/filesx", None),
        ("/nowhere/files", None),
    ],
)
def test_a_request_belongs_to_the_group_of_its_first_segment(
    path: str, paths: tuple[str, ...] | None
) -> None:
    group = LazyRoutes(FastAPI(), ROUTE_GROUPS).group_for(path)
    assert (group.paths if group else None) == paths


def _broken_routers() -> tuple[APIRouter, ...]:
    from tests.no_such import router  # type: ignore[import-not-found]

    return (demo_router, router)


def test_a_group_that_cannot_be_imported_includes_none_of_its_routers() -> None:
    app = FastAPI()
    before = len(app.router.routes)
    group = RouteGroup(("/tests",), _broken_routers)
    routes = LazyRoutes(app, [group])
    with pytest.raises(ModuleNotFoundError):
        routes.load_for("/tests/1")
    assert len(app.router.routes) == before
    assert routes.pending == {group}


def test_a_router_included_with_dependencies_keeps_them(aws: object) -> None:
    """AppRoute builds its handler later than FastAPI makes the route: what an include gave
    the route (here a guard) must still be there."""

    async def guard() -> None:
        raise Forbidden("guarded")

    guarded = APIRouter(prefix="/guarded", route_class=AppRoute)

    @guarded.get("")
    async def open_door() -> dict[str, bool]:
        return {"ok": True}

    app = FastAPI()
    install_error_handlers(app)
    app.include_router(guarded, dependencies=[Depends(guard)])
    assert TestClient(app).get("/guarded").status_code == 403


def test_every_dependency_that_verifies_a_token_is_swapped_by_the_tests(app: FastAPI) -> None:
    """tests/conftest.py's trust_moto_tokens must know each BearerUser a route uses."""
    load_all_routes(app)

    def verifiers(dependant: Any) -> set[BearerUser]:
        found = {dependant.call} if isinstance(dependant.call, BearerUser) else set()
        return found.union(*(verifiers(sub) for sub in dependant.dependencies))

    used = set().union(*(verifiers(r.dependant) for r in app.routes if isinstance(r, AppRoute)))
    assert used and used <= set(app.dependency_overrides)
