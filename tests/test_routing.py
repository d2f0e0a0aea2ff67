"""Route groups are built on first use and go onto the app's router flat, in their order."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.main import ROUTE_GROUPS, create_app
from app.routing import LazyRoutes, RouteGroup, import_router, load_all_routes, route_path
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
    assert "app.shares.router" not in seen["GET /files"]["routers"]  # nor the sharing routes
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


def test_racing_first_requests_include_each_router_once(aws: object) -> None:
    app = create_app()
    before = len(app.router.routes)
    files = app.state.lazy_routes.group_for("/files/abc")
    assert files is not None
    barrier = threading.Barrier(8)

    def first_request() -> None:
        barrier.wait()
        app.state.lazy_routes.load_for("/files/abc")

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(app.router.routes) == before + _route_count(files)
    assert app.state.lazy_routes.group_for("/files/abc") is None  # loaded: nothing to wait for
    load_all_routes(app)
    load_all_routes(app)
    assert len(app.router.routes) == before + sum(_route_count(g) for g in ROUTE_GROUPS)


def _route_count(group: RouteGroup) -> int:
    return sum(len(import_router(name).routes) for name in group.routers)


def test_routes_are_the_apps_own_in_group_order_whatever_order_they_load_in(aws: object) -> None:
    app = create_app()
    app.state.lazy_routes.load_for("/auth/login")  # a later group first
    app.state.lazy_routes.load_for("/files")
    load_all_routes(app)
    # flat: no included-router node for a request to resolve again (FastAPI >= 0.137)
    ours = [r for r in app.router.routes if isinstance(r, APIRoute) and r.path != "/health"]
    assert len(ours) == sum(_route_count(g) for g in ROUTE_GROUPS)
    expected = [r for g in ROUTE_GROUPS for name in g.routers for r in import_router(name).routes]
    assert ours == expected


def test_a_group_is_loaded_for_its_prefix_only() -> None:
    app = FastAPI()
    routes = LazyRoutes(app, [RouteGroup(("/tests",), ("tests.test_routing:demo_router",))])
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


@pytest.mark.parametrize("path", ["/files/", "files", "", "/files//links"])
def test_a_group_path_is_segments_from_the_root(path: str) -> None:
    with pytest.raises(ValueError):
        RouteGroup((path,), ("tests.test_routing:demo_router",))


@pytest.mark.parametrize(
    ("path", "router"),
    [
        ("/files", "app.files.router:router"),
        ("/files/abc/download-url", "app.files.router:router"),
        ("/files/shared", "app.shares.router:shared_router"),
        ("/files/abc/links/tok", "app.shares.router:router"),
        ("/files/abc/shares", "app.shares.router:router"),
        ("/links/tok/download", "app.shares.links_router:public_router"),
        ("/", "app.web.router:router"),
        ("/s/tok", "app.web.router:router"),
        ("/filesx", None),
        ("/nowhere/files", None),
    ],
)
def test_a_request_belongs_to_the_group_with_the_longest_path_that_covers_it(
    path: str, router: str | None
) -> None:
    group = LazyRoutes(FastAPI(), ROUTE_GROUPS).group_for(path)
    assert (group.routers[0] if group else None) == router


def test_a_group_that_cannot_be_imported_includes_none_of_its_routers() -> None:
    app = FastAPI()
    before = len(app.router.routes)
    group = RouteGroup(("/tests",), ("tests.test_routing:demo_router", "tests.no_such:router"))
    routes = LazyRoutes(app, [group])
    with pytest.raises(ModuleNotFoundError):
        routes.load_for("/tests/1")
    assert len(app.router.routes) == before
    assert routes.pending == [group]
