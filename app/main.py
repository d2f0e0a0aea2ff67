"""The one FastAPI application: `app` for uvicorn, `handler` for the API Lambda."""

import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.auth.router import router as auth_router
from app.errors import install_error_handlers
from app.files.router import router as files_router
from app.middleware import RequestIdMiddleware
from app.openapi import install_openapi
from app.settings import get_settings
from app.shares.links_router import public_router as public_links_router
from app.shares.links_router import router as links_router
from app.shares.router import router as shares_router
from app.shares.router import shared_router
from app.stage import StagePrefixMiddleware, lambda_handler
from app.users.router import router as users_router
from app.web.router import router as web_router


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="Sharebox",
        version="1.0.0",
        description="Serverless file sharing. Click **Authorize** and log in with your email.",
        swagger_ui_parameters={"persistAuthorization": True},
    )

    @app.get("/health", tags=["meta"])
    async def health() -> dict[str, str]:
        """Liveness: answers without touching AWS."""
        return {"status": "ok"}

    # Most used first: FastAPI tries the routers in order (a PrefixRouter skips itself at once
    # for a path outside its prefix). `/files/shared` must come before `/files/{fileId}`.
    for router in (
        shared_router,
        files_router,
        shares_router,
        links_router,
        public_links_router,
        auth_router,
        users_router,
        web_router,
    ):
        app.include_router(router)

    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["X-Request-ID"],
        max_age=600,
    )
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(StagePrefixMiddleware)
    return app


def _snapshot_warm_up() -> None:
    """Under SnapStart the init phase is snapshotted, so pay there what the first real request
    would otherwise import or build lazily: jose and the DynamoDB and S3 clients."""
    from app import aws
    from app.auth.tokens import load_backend

    load_backend()
    for service in ("dynamodb", "s3"):
        aws.client(service)


app = create_app()
handler = lambda_handler(app)
if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
    _snapshot_warm_up()
