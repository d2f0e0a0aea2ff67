"""The page's shell and assets as the API serves them, and the CORS both origins need."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.local.bootstrap import LocalResources
from app.web.router import STYLESHEETS
from tests.web.conftest import Server

STATIC = Path(__file__).resolve().parents[2] / "app" / "web" / "static"
S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def test_root_serves_the_app_shell_with_a_base_of_slash(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<base href="/">' in response.text
    assert '<script type="module" src="static/js/main.js">' in response.text


def test_public_link_path_serves_the_same_shell(client: TestClient) -> None:
    response = client.get("/s/some-token")
    assert response.status_code == 200
    assert '<base href="/">' in response.text
    assert response.headers["referrer-policy"] == "no-referrer"


def test_upload_request_path_serves_the_same_shell(client: TestClient) -> None:
    response = client.get("/r/some-token")
    assert response.status_code == 200
    assert '<base href="/">' in response.text
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_the_shell_only_runs_its_own_scripts(client: TestClient) -> None:
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "connect-src 'self' https:" in policy  # presigned S3 URLs


def test_behind_a_stage_prefix_the_base_carries_it(app: FastAPI) -> None:
    with TestClient(app, root_path="/dev") as staged:
        response = staged.get("/")
    assert response.status_code == 200
    assert '<base href="/dev/">' in response.text


# The page's modules and the vendored ones below js/vendor (a module script needs a JavaScript
# type, whatever its extension).
MODULES = sorted(path for path in (STATIC / "js").rglob("*") if path.suffix in {".js", ".mjs"})


def test_every_module_the_page_loads_is_served_as_javascript(client: TestClient) -> None:
    assert any(path.suffix == ".mjs" for path in MODULES)
    for module in MODULES:
        name = module.relative_to(STATIC).as_posix()
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert "javascript" in response.headers["content-type"], name


def _linked_stylesheets() -> list[str]:
    html = (STATIC / "index.html").read_text()
    return re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)


def test_the_page_links_one_stylesheet_served_as_css(client: TestClient) -> None:
    assert _linked_stylesheets() == ["static/styles.css"]
    response = client.get("/static/styles.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert response.headers["cache-control"] == "no-cache"
    again = client.get("/static/styles.css", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_the_stylesheet_joins_every_component_file_once_in_cascade_order(
    client: TestClient,
) -> None:
    on_disk = sorted(path.name for path in (STATIC / "css").glob("*.css"))
    assert sorted(STYLESHEETS) == on_disk and len(set(STYLESHEETS)) == len(STYLESHEETS)
    served = client.get("/static/styles.css").text
    starts = [served.index((STATIC / "css" / name).read_text()) for name in STYLESHEETS]
    assert starts == sorted(starts)


def test_static_paths_cannot_escape_the_folder(client: TestClient) -> None:
    response = client.get("/static/..%2F..%2Fsettings.py")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_page_loads_nothing_from_another_origin() -> None:
    html = (STATIC / "index.html").read_text()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    for module in MODULES:
        imports = re.findall(r'from\s+"([^"]+)"', module.read_text())
        assert all(name.startswith("./") for name in imports), module.name


def test_bootstrap_gives_the_bucket_cors_for_browser_uploads(aws: LocalResources) -> None:
    import boto3

    s3 = boto3.client("s3", region_name="us-east-1")
    [rule] = s3.get_bucket_cors(Bucket=aws.bucket_name)["CORSRules"]
    # Exactly the origins it was given (tests/conftest.py passes the local page's origin).
    assert rule["AllowedOrigins"] == ["http://127.0.0.1:8000"]
    assert {"POST", "PUT", "GET"} <= set(rule["AllowedMethods"])
    assert rule["AllowedHeaders"] == ["*"]
    # Multipart: the page reads each part's ETag from the PUT response.
    assert "ETag" in rule["ExposeHeaders"]


def _bucket_cors(server: Server) -> dict[str, list[str]]:
    import urllib.request

    with urllib.request.urlopen(f"{server.moto_url}/sharebox-files?cors", timeout=10) as resp:
        root = ET.fromstring(resp.read())
    rule = root.find(f"{S3_NS}CORSRule")
    if rule is None:
        rule = root.find("CORSRule")
    assert rule is not None
    found: dict[str, list[str]] = {}
    for child in rule:
        found.setdefault(child.tag.removeprefix(S3_NS), []).append(child.text or "")
    return found


@pytest.mark.e2e
def test_make_run_bucket_cors_lists_the_pages_exact_origins(server: Server) -> None:
    # moto reflects any Origin, so a passing browser upload proves nothing: read the rule.
    rule = _bucket_cors(server)
    port = server.origin.rsplit(":", 1)[1]
    assert server.origin in rule["AllowedOrigin"]
    assert f"http://localhost:{port}" in rule["AllowedOrigin"]
    assert "ETag" in rule["ExposeHeader"]
    assert {"POST", "PUT"} <= set(rule["AllowedMethod"])


@pytest.mark.e2e
def test_make_run_api_cors_allows_the_page_and_refuses_other_origins(server: Server) -> None:
    preflight: dict[str, Any] = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    status, headers, _ = server.request(
        "OPTIONS", "files/upload-url", headers={**preflight, "Origin": server.origin}
    )
    assert status == 200
    assert headers["access-control-allow-origin"] == server.origin
    status, headers, _ = server.request(
        "OPTIONS", "files/upload-url", headers={**preflight, "Origin": "http://evil.example"}
    )
    assert status == 400
    assert "access-control-allow-origin" not in {k.lower() for k in headers}
