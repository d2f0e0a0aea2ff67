"""OpenAPI document tweaks: every error status is declared as problem+json, and a protected
operation also takes a pasted access token (`BearerToken`).

The docs page's Authorize offers the security schemes the document declares. FastAPI's one,
the OAuth2 password form (app/auth/dependencies.py), cannot log in an account with two-factor
login, whose token comes from POST /auth/login then /auth/login/mfa; the same
`Authorization: Bearer` header carries it either way, so the document names a plain bearer
scheme as the alternative. Declaring it here, not as a second security dependency, keeps
every request at the one dependency it resolves now (README "What the numbers say")."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.errors import PROBLEM_JSON
from app.schemas import Problem

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
BEARER_SCHEME = "BearerToken"
_BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "Paste an access token: what POST /auth/login answers (with two-factor "
    "login, POST /auth/login/mfa). Without two-factor login the password form does it for you.",
}


def install_openapi(app: FastAPI, *, before: Callable[[], None] = lambda: None) -> None:
    """`before` runs ahead of the first build (it includes the routes loaded on demand)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        before()
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema()
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        if components_security := schema["components"].get("securitySchemes"):
            components_security[BEARER_SCHEME] = _BEARER
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                _problemize(operation)
                if operation.get("security"):
                    operation["security"].append({BEARER_SCHEME: []})
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _problemize(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    if "422" in responses or operation.get("parameters") or operation.get("requestBody"):
        responses["422"] = {
            "description": "Validation Error",
            "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}},
        }
    if operation.get("requestBody"):
        # A body that is not UTF-8 JSON at all is refused by FastAPI before validation.
        responses.setdefault(
            "400",
            {
                "description": "Bad Request (e.g. a body that is not UTF-8)",
                "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}},
            },
        )
    if operation.get("security") and "401" not in responses:
        responses["401"] = {
            "description": "Unauthorized",
            "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}},
        }
    responses.setdefault(
        "500",
        {
            "description": "Internal Server Error",
            "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}},
        },
    )
    if "meta" not in operation.get("tags", ()):  # /health touches no AWS service
        responses.setdefault("503", _UNAVAILABLE)


_UNAVAILABLE = {
    "description": "Service Unavailable: an AWS dependency failed, throttled or ran out of its "
    "time budget; retry after `Retry-After` seconds",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}},
    "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}},
}
