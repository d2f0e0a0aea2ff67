"""The docs pages serve Swagger UI and ReDoc from the app itself, under a strict CSP."""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("/docs", "/redoc")


def _asset_urls(page: str) -> list[str]:
    return re.findall(r'(?:src|href|spec-url)="([^"]+)"', page)


@pytest.mark.parametrize("page", PAGES)
def test_a_docs_page_names_no_outside_host(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert "cdn" not in response.text.lower()
    assert "https://" not in response.text and "http://" not in response.text
    urls = _asset_urls(response.text)
    assert urls and all(url.startswith("/") and not url.startswith("//") for url in urls)


@pytest.mark.parametrize("page", PAGES)
def test_the_assets_a_docs_page_names_answer_with_their_types(
    client: TestClient, page: str
) -> None:
    expected = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
    urls = [url for url in _asset_urls(client.get(page).text) if url.startswith("/docs/assets/")]
    assert len(urls) >= 2  # the script, and a stylesheet or the icon
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith(expected[Path(url).suffix]), url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert len(response.content) > 1000


def test_only_the_named_asset_files_are_served(client: TestClient) -> None:
    for name in ("core.py", "..%2F__init__.py", "%2E%2E/consts.py", "nope.js"):
        response = client.get(f"/docs/assets/{name}")
        assert response.status_code == 404, name


@pytest.mark.parametrize("page", PAGES)
def test_a_docs_page_has_the_web_pages_security_headers(client: TestClient, page: str) -> None:
    headers = client.get(page).headers
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in headers["content-security-policy"].split("; ")
    )
    assert policy["default-src"] == ["'none'"]  # objects, frames, ... none at all
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"]  # the schema, and Authorize's POST /auth/token
    assert policy["script-src"][0] == "'self'"
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(policy["script-src"])
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_swagger_uis_inline_script_is_allowed_by_its_hash_and_nothing_else(
    client: TestClient,
) -> None:
    response = client.get("/docs")
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    script_src = response.headers["content-security-policy"].split("script-src ")[1].split(";")[0]
    assert script_src.split() == ["'self'", f"'sha256-{digest}'"]


def test_authorize_keeps_the_password_flow_and_needs_no_redirect_page(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "url: '/openapi.json'" in page
    assert "oauth2RedirectUrl" not in page
    assert '"persistAuthorization": true' in page
    assert '"validatorUrl": null' in page  # no badge fetched from an outside validator
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    flows = [scheme["flows"] for scheme in schemes.values() if scheme["type"] == "oauth2"]
    assert [flow["password"]["tokenUrl"] for flow in flows] == ["auth/token"]


def test_authorize_also_takes_a_pasted_token_for_accounts_with_two_factor_login(
    client: TestClient,
) -> None:
    """The password form cannot answer a TOTP challenge: such an account pastes the access
    token POST /auth/login/mfa gave, sent in the same `Authorization: Bearer` header."""
    document = client.get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"]["type"] == "http"
    assert schemes["BearerToken"]["scheme"] == "bearer"
    assert "/auth/login/mfa" in schemes["BearerToken"]["description"]
    me = document["paths"]["/users/me"]["get"]  # every protected operation: tests/test_errors.py
    assert me["security"] == [{"OAuth2PasswordBearer": []}, {"BearerToken": []}]  # either one
    login = document["paths"]["/auth/login"]["post"]
    assert "security" not in login


PROBE = """
import json, sys
from app.main import handler
from tests.test_main import LambdaContext, http_api_v2

seen = {}
for path in sys.argv[1:]:
    response = handler(http_api_v2(path), LambdaContext())
    seen[path] = {
        "status": response["statusCode"],
        "docs": "app.docs" in sys.modules,
        "assets_package": "fastapi_offline" in sys.modules,
    }
print(json.dumps(seen))
"""


def test_only_a_docs_request_loads_the_docs_module_and_none_imports_the_assets_package() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "PYTHONPATH": str(ROOT),
    }
    paths = ["/health", "/files", "/files/f-1", "/docs", "/docs/assets/swagger-ui.css"]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *paths], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    for path in ("/health", "/files", "/files/f-1"):
        assert seen[path]["docs"] is False, path
    assert seen["/docs"] == {"status": 200, "docs": True, "assets_package": False}
    assert seen["/docs/assets/swagger-ui.css"]["status"] == 200
    assert seen["/docs/assets/swagger-ui.css"]["assets_package"] is False


def test_the_declared_digest_is_documented_as_unchecked_wherever_it_is_taken_or_shown(
    client: TestClient,
) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    said = (
        "SHA-256 of the bytes as the uploader declared it (hex); not checked by the server: "
        "clients verify downloads against it."
    )
    taken = ("FileCreate", "MultipartCreate", "VersionCreate", "VersionMultipartCreate")
    for name in (*taken, "RequestUpload"):
        field = schemas[name]["properties"]["sha256"]
        assert field["description"] == said, name
        assert {"type": "string", "pattern": "^[0-9A-Fa-f]{64}$"} in field["anyOf"], name
        assert "sha256" not in schemas[name].get("required", []), name
    for name in ("File", "Version"):
        assert schemas[name]["properties"]["sha256"]["description"].startswith(said), name
        assert "sha256" in schemas[name]["required"], name  # always there, null or not
