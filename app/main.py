"""The one FastAPI application: `app` for uvicorn, `handler` for the API Lambda."""

import os

from fastapi import FastAPI

# boto3 at init, although /health does not need it: every other route does, and Lambda's init
# phase (or SnapStart's snapshot) absorbs it better than a first request would.
from app import aws
from app.errors import install_error_handlers
from app.middleware import RequestIdMiddleware
from app.openapi import install_openapi
from app.routing import LazyRoutes, LazyRoutesMiddleware, RouteGroup, load_all_routes
from app.settings import get_settings
from app.stage import StagePrefixMiddleware, lambda_handler

# Every route but /health, by path; a group is imported and built when a request first needs
# it (app/routing.py). Routes are tried in this order: `/files/shared` before `/files/{fileId}`,
# which would take it; the files routes, the most used, before the sharing ones.
ROUTE_GROUPS = (
    RouteGroup(("/files/shared",), ("app.shares.router:shared_router",)),
    RouteGroup(("/files",), ("app.files.router:router",)),
    RouteGroup(
        ("/files/*/share", "/files/*/shares", "/files/*/activity", "/files/*/links"),
        ("app.shares.router:router", "app.shares.links_router:router"),
    ),
    RouteGroup(("/links",), ("app.shares.links_router:public_router",)),
    RouteGroup(("/auth",), ("app.accounts.router:router",)),
    RouteGroup(("/users",), ("app.accounts.me:router",)),
    RouteGroup(("/", "/s", "/static"), ("app.web.router:router",)),  # the web page
    RouteGroup(("/docs", "/redoc"), ("app.docs:router",)),  # Swagger UI, ReDoc, their assets
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
    # Where tests put their fakes (routes are added flat, so dependency overrides would not
    # reach them: app/routing.py): the token verifier and the sharing routes' clock.
    app.state.verifier = None
    app.state.clock = None

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
