"""Whole flows through a real HTTP S3 (moto's server): presigned POST and part PUTs with httpx.

The session-wide `mock_aws` of tests/conftest.py stays active; it patches botocore, but a
client whose endpoint is the server's http://127.0.0.1:<port> is passed through to it (checked:
the server logs those calls), and the server serves moto's in-process backends, the very ones
the session fixture bootstrapped. So this fixture only points the settings at the server,
bootstraps again (idempotent: it finds the same pool, table, queue and bucket), and builds an
app instance on those settings; presigned URLs then name the server, and httpx, which moto
does not patch, really sends the bytes over HTTP.
"""

import os
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import httpx
import pytest
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer

from app.local.bootstrap import LocalResources, bootstrap
from app.settings import get_settings
from tests.conftest import ApiUser, reload_settings, trust_moto_tokens

pytestmark = pytest.mark.e2e
MIB = 1024**2


@pytest.fixture(scope="module")
def s3_server(aws: LocalResources) -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    reload_settings()
    try:
        clients = {
            name: boto3.client(name, endpoint_url=endpoint, region_name="us-east-1")
            for name in ("cognito-idp", "dynamodb", "s3", "sqs")
        }
        found = bootstrap(clients, origins=["http://127.0.0.1:8000"])
        assert (found.user_pool_id, found.table_name, found.bucket_name) == (
            aws.user_pool_id,
            aws.table_name,
            aws.bucket_name,
        )
        yield endpoint
    finally:
        os.environ.pop("AWS_ENDPOINT_URL", None)
        reload_settings()
        server.stop()


@pytest.fixture
def api(s3_server: str) -> Iterator[TestClient]:
    from app.main import create_app

    application = create_app()
    trust_moto_tokens(application)
    assert get_settings().aws_endpoint_url == s3_server
    with TestClient(application, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def web() -> Iterator[httpx.Client]:
    """The browser: talks to S3 directly with the presigned URLs."""
    with httpx.Client(timeout=30) as client:
        yield client


def _usage(api: TestClient, user: ApiUser) -> dict[str, int]:
    return api.get("/users/me", headers=user.headers).json()["usage"]


def _post_form(web: httpx.Client, ticket: dict[str, Any], data: bytes) -> httpx.Response:
    upload = ticket["upload"]
    files = {"file": ("ignored-name", data, upload["fields"]["Content-Type"])}
    return web.post(upload["url"], data=upload["fields"], files=files)


def test_single_upload_through_http_lands_verifies_and_downloads(
    api: TestClient, web: httpx.Client, make_user: Callable[..., ApiUser], s3_server: str
) -> None:
    user = make_user("e2e")
    data = secrets.token_bytes(2048)
    body = {"fileName": "snapshot ü.bin", "contentType": "application/octet-stream", "size": 2048}
    ticket = api.post("/files/upload-url", json=body, headers=user.headers)
    assert ticket.status_code == 201, ticket.text
    assert ticket.json()["upload"]["url"].startswith(s3_server)
    posted = _post_form(web, ticket.json(), data)
    assert posted.status_code in (200, 201, 204), posted.text
    file_id = ticket.json()["fileId"]
    done = api.post(f"/files/{file_id}/complete", headers=user.headers)
    assert done.status_code == 200
    assert done.json()["status"] == "available" and done.json()["size"] == 2048
    assert _usage(api, user) == {"files": 1, "bytes": 2048}
    link = api.get(f"/files/{file_id}/download-url", headers=user.headers)
    download = web.get(link.json()["downloadUrl"])
    assert download.status_code == 200 and download.content == data
    assert "filename*=UTF-8''snapshot%20%C3%BC.bin" in download.headers["content-disposition"]
    listed = api.get("/files", headers=user.headers).json()["items"]
    assert [item["fileId"] for item in listed] == [file_id]


def test_a_body_larger_than_declared_is_rejected_through_http(
    api: TestClient, web: httpx.Client, make_user: Callable[..., ApiUser]
) -> None:
    user = make_user("liar")
    body = {"fileName": "small.txt", "contentType": "text/plain", "size": 10}
    ticket = api.post("/files/upload-url", json=body, headers=user.headers).json()
    posted = _post_form(web, ticket, b"x" * 5000)  # moto ignores the policy; S3 would refuse
    assert posted.status_code in (200, 201, 204)
    done = api.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["rejectionReason"]) == ("rejected", "size_mismatch")
    assert _usage(api, user) == {"files": 0, "bytes": 0}
    refused = api.get(f"/files/{ticket['fileId']}/download-url", headers=user.headers)
    assert refused.status_code == 409 and refused.json()["code"] == "file_not_available"


def test_an_interrupted_11_mib_multipart_upload_resumes_and_downloads_identically(
    api: TestClient, web: httpx.Client, make_user: Callable[..., ApiUser]
) -> None:
    user = make_user("resumer")
    data = secrets.token_bytes(11 * MIB)
    body = {"fileName": "video.mp4", "contentType": "video/mp4", "size": len(data)}
    started = api.post("/files/multipart", json=body, headers=user.headers)
    assert started.status_code == 201, started.text
    ticket = started.json()
    size, file_id = ticket["partSize"], ticket["fileId"]
    assert size == 5 * MIB and [p["partNumber"] for p in ticket["parts"]] == [1, 2, 3]
    first = web.put(ticket["parts"][0]["url"], content=data[:size])
    assert first.status_code == 200
    # the client dies here; later it asks what landed
    resumed = api.get(f"/files/{file_id}/multipart", headers=user.headers)
    assert resumed.status_code == 200
    state = resumed.json()
    assert [(p["partNumber"], p["size"]) for p in state["uploadedParts"]] == [(1, size)]
    assert state["uploadedParts"][0]["etag"] == first.headers["etag"].strip('"')
    assert [p["partNumber"] for p in state["parts"]] == [2, 3]
    etags = {1: state["uploadedParts"][0]["etag"]}
    for part in state["parts"]:
        n = part["partNumber"]
        put = web.put(part["url"], content=data[(n - 1) * size : n * size])
        assert put.status_code == 200
        etags[n] = put.headers["etag"]
    parts = [{"partNumber": n, "etag": etag} for n, etag in sorted(etags.items())]
    done = api.post(
        f"/files/{file_id}/multipart/complete", json={"parts": parts}, headers=user.headers
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "available" and done.json()["size"] == len(data)
    assert _usage(api, user) == {"files": 1, "bytes": len(data)}
    gone = api.get(f"/files/{file_id}/multipart", headers=user.headers)
    assert gone.status_code == 409 and gone.json()["code"] == "not_multipart"
    link = api.get(f"/files/{file_id}/download-url", headers=user.headers).json()
    download = web.get(link["downloadUrl"])
    assert download.status_code == 200 and download.content == data


def test_posting_the_form_again_after_verification_does_not_change_what_downloads(
    api: TestClient, web: httpx.Client, make_user: Callable[..., ApiUser]
) -> None:
    user = make_user("reposter")
    original, replacement = secrets.token_bytes(512), secrets.token_bytes(512)
    body = {"fileName": "a.bin", "contentType": "application/octet-stream", "size": 512}
    ticket = api.post("/files/upload-url", json=body, headers=user.headers).json()
    assert _post_form(web, ticket, original).status_code in (200, 201, 204)
    done = api.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert done.status_code == 200 and done.json()["status"] == "available"

    again = _post_form(web, ticket, replacement)  # the form is valid until it expires
    assert again.status_code in (200, 201, 204)

    link = api.get(f"/files/{ticket['fileId']}/download-url", headers=user.headers).json()
    download = web.get(link["downloadUrl"])
    assert download.status_code == 200 and download.content == original
