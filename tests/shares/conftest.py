"""Fixtures for the sharing tests: three users, a shared file, a settable clock, atomic moto
(the files tests' `atomic_dynamodb`: the app's own serialization, app/local/atomic.py)."""

import secrets
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.access import links as links_repository
from app.access.links import LinkRecord
from app.aws import client as aws_client
from app.clock import get_clock, utcnow
from app.files import storage
from app.settings import get_settings
from app.shares.passwords import hash_password
from tests.conftest import ApiUser
from tests.files.conftest import atomic_dynamodb  # noqa: F401  (the race tests' fixture)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def new_id() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def peer_ip() -> str:
    """This test's own client address (a documentation-range IPv6)."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


@pytest.fixture
def client(app: FastAPI, peer_ip: str) -> Iterator[TestClient]:
    """The API from an address of this test's own: per-IP password limits stay per test."""
    with TestClient(app, raise_server_exceptions=False, client=(peer_ip, 50000)) as test_client:
        yield test_client


@pytest.fixture
def fixed_clock(app: FastAPI) -> Iterator[FakeClock]:
    """The routes' clock, moved by the test (expiry without sleeping)."""
    fake = FakeClock()
    app.dependency_overrides[get_clock] = lambda: fake
    yield fake
    del app.dependency_overrides[get_clock]


Upload = Callable[..., dict[str, Any]]

# The same format and checks as the default parameters, at a thousandth of the CPU.
CHEAP_SCRYPT = {"n": 2**10, "r": 8, "p": 1}


def store_password_link(
    file: dict[str, Any], password: str, now: datetime, *, max_downloads: int | None = None
) -> LinkRecord:
    """A password link of an uploaded `file`, stored with a cheap hash (it verifies as any)."""
    created = now.replace(microsecond=0)
    record = LinkRecord(
        token=secrets.token_urlsafe(24),
        file_id=file["fileId"],
        owner_id=file["ownerId"],
        created_at=created,
        expires_at=created + timedelta(hours=1),
        max_downloads=max_downloads,
        downloads=0,
        password_hash=hash_password(password, **CHEAP_SCRYPT),
    )
    links_repository.create_link(record)
    return record


@pytest.fixture
def upload(client: TestClient) -> Upload:
    """An available file of `owner`, uploaded through the API: the File body."""

    def make(owner: ApiUser, name: str = "report.pdf", data: bytes = b"%PDF-1.7 hi") -> dict:
        body = {"fileName": name, "contentType": "application/pdf", "size": len(data)}
        ticket = client.post("/files/upload-url", json=body, headers=owner.headers)
        assert ticket.status_code == 201, ticket.text
        file_id = ticket.json()["fileId"]
        aws_client("s3").put_object(
            Bucket=get_settings().bucket_name,
            Key=storage.object_key(file_id),
            Body=data,
            ContentType="application/pdf",
        )
        done = client.post(f"/files/{file_id}/complete", headers=owner.headers)
        assert done.status_code == 200 and done.json()["status"] == "available", done.text
        return dict(done.json())

    return make


@pytest.fixture
def owner(make_user: Callable[..., ApiUser]) -> ApiUser:
    return make_user("owner")


@pytest.fixture
def recipient(make_user: Callable[..., ApiUser]) -> ApiUser:
    return make_user("recipient")


@pytest.fixture
def stranger(make_user: Callable[..., ApiUser]) -> ApiUser:
    return make_user("stranger")


@pytest.fixture
def shared_file(
    client: TestClient, upload: Upload, owner: ApiUser, recipient: ApiUser
) -> dict[str, Any]:
    """A file of `owner` shared with `recipient`."""
    file = upload(owner)
    shared = client.post(
        f"/files/{file['fileId']}/share", json={"email": recipient.email}, headers=owner.headers
    )
    assert shared.status_code == 201, shared.text
    return file


def assert_file_not_found(response: httpx.Response) -> None:
    """The 404 every unseen file gets: nothing in it depends on the file."""
    assert response.status_code == 404, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body == {
        "type": "https://sharebox.dev/problems/file-not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "No such file.",
        "code": "file_not_found",
    }


def assert_link_not_found(response: httpx.Response) -> None:
    assert response.status_code == 404, response.text
    assert response.json() == {
        "type": "https://sharebox.dev/problems/link-not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "This link does not exist or no longer works.",
        "code": "link_not_found",
    }
