"""The one FastAPI application: `app` for uvicorn, `handler` for the API Lambda."""

import os

from fastapi import APIRouter, FastAPI

# boto3 at init, although /health does not need it: every other route does, and Lambda's init
# phase (or SnapStart's snapshot) absorbs it better than a first request would.
from app import aws
from app.errors import install_error_handlers
from app.middleware import RequestIdMiddleware
from app.openapi import install_openapi
from app.routing import LazyRoutes, LazyRoutesMiddleware, RouteGroup, load_all_routes
from app.settings import get_settings
from app.stage import StagePrefixMiddleware, lambda_handler

# Every route but /health, in groups by the first segment of their paths: a group's modules
# are imported and its routes added when a request first needs them (app/routing.py).


def files_routers() -> tuple[APIRouter, ...]:
    """/files and below: the files routes, then a file's shares, links and versions."""
    from app.files.router import router as files
    from app.files.versions_router import router as file_versions
    from app.shares.links_router import router as file_links
    from app.shares.router import router as file_shares

    return files, file_shares, file_links, file_versions


def folders_routers() -> tuple[APIRouter, ...]:
    """/folders and below: folders, then a folder's shares, links and upload requests."""
    from app.folders.router import router as folders
    from app.requests.router import router as folder_requests
    from app.shares.folder_router import router as folder_sharing

    return folders, folder_sharing, folder_requests


def shared_routers() -> tuple[APIRouter, ...]:
    """/shared: files and folders shared with the caller."""
    from app.folders.router import shared_router

    return (shared_router,)


def search_routers() -> tuple[APIRouter, ...]:
    """/search: the caller's own files and folders by name."""
    from app.folders.router import search_router

    return (search_router,)


def trash_routers() -> tuple[APIRouter, ...]:
    """/trash: what the caller deleted."""
    from app.trash.router import router

    return (router,)


def links_routers() -> tuple[APIRouter, ...]:
    """/links/{token}: what a public link's visitor calls."""
    from app.shares.public_router import public_router

    return (public_router,)


def requests_routers() -> tuple[APIRouter, ...]:
    """/requests/{token}: what an upload request's sender calls."""
    from app.requests.public_router import public_router

    return (public_router,)


def auth_routers() -> tuple[APIRouter, ...]:
    """/auth: sign-up to logout, then turning two-factor login on and off."""
    from app.accounts.router import router
    from app.mfa.router import router as mfa

    return router, mfa


def users_routers() -> tuple[APIRouter, ...]:
    """/users/me: the caller's own account."""
    from app.accounts.me import router

    return (router,)


def admin_routers() -> tuple[APIRouter, ...]:
    """/admin: the administrators' console."""
    from app.admin.router import router

    return (router,)


def unsubscribe_routers() -> tuple[APIRouter, ...]:
    """/unsubscribe/{token}: an email's one-click unsubscribe (no login)."""
    from app.notifications.router import router

    return (router,)


def web_routers() -> tuple[APIRouter, ...]:
    """/, /s/{token}, /r/{token} and /static: the web page."""
    from app.web.router import router

    return (router,)


def docs_routers() -> tuple[APIRouter, ...]:
    """/docs and /redoc: Swagger UI, ReDoc and their assets."""
    from app.docs import router

    return (router,)


# The files routes, the most used, first.
ROUTE_GROUPS = (
    RouteGroup(("/files",), files_routers),
    RouteGroup(("/folders",), folders_routers),
    RouteGroup(("/shared",), shared_routers),
    RouteGroup(("/search",), search_routers),
    RouteGroup(("/trash",), trash_routers),
    RouteGroup(("/links",), links_routers),
    RouteGroup(("/requests",), requests_routers),
    RouteGroup(("/auth",), auth_routers),
    RouteGroup(("/users",), users_routers),
    RouteGroup(("/admin",), admin_routers),
    RouteGroup(("/unsubscribe",), unsubscribe_routers),
    RouteGroup(("/", "/s", "/r", "/static"), web_routers),
    RouteGroup(("/docs", "/redoc"), docs_routers),
)
# What the page sends; template.yaml's HTTP API CorsConfiguration allows the same.
CORS_HEADERS = (
    "authorization",
    "content-type",
    "x-request-id",
    "x-sharebox-client",
    "x-sharebox-csrf",
)


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="Sharebox",
        version="1.0.0",
        description="Serverless file sharing. Click **Authorize** and log in with your email.",
        # Served by app/docs.py, assets and all (FastAPI's own load them from a CDN).
        docs_url=None,
        redoc_url=None,
        # Traces are X-Ray's, through Powertools (app/observability.py). FastAPI's native
        # OpenTelemetry would otherwise look for a configured provider on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )

    @app.get("/health", tags=["meta"])
    async def health() -> dict[str, str]:
        """Liveness: answers without touching AWS."""
        return {"status": "ok"}

    app.state.lazy_routes = LazyRoutes(app, ROUTE_GROUPS)
    install_error_handlers(app)
    install_openapi(app, before=lambda: load_all_routes(app))
    app.add_middleware(LazyRoutesMiddleware, routes=app.state.lazy_routes)
    if settings.cors_origins:  # on AWS the HTTP API's CorsConfiguration answers CORS instead
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=list(CORS_HEADERS),
            # The page's session cookie; Starlette would reflect any origin for credentialed
            # requests under "*", so credentials go only with an explicit list.
            allow_credentials="*" not in settings.cors_origins,
            expose_headers=["X-Request-ID"],
            max_age=600,
        )
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(StagePrefixMiddleware)
    return app


def _snapshot_warm_up() -> None:
    """Under SnapStart the init phase is snapshotted, so pay there what the first real request
    would otherwise import or build lazily: every route, jose, the DynamoDB and S3 clients."""
    from app.auth.tokens import load_backend

    load_all_routes(app)
    load_backend()
    for service in ("dynamodb", "s3"):
        aws.client(service)


app = create_app()
handler = lambda_handler(app)
if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
    _snapshot_warm_up()
