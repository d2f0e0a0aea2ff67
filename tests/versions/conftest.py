"""Fixtures for the version tests: files and new versions made through the API (or the
service and the worker's real-shaped events), bytes landed in moto's S3, a small quota."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import db
from app.aws import client as aws_client
from app.files import storage
from app.local.bootstrap import LocalResources, create_table
from app.settings import get_settings
from tests.conftest import ApiUser, reload_settings
from tests.files.conftest import atomic_dynamodb  # noqa: F401  (the race tests' fixture)
from tests.shares.conftest import owner, recipient, stranger  # noqa: F401  (fixtures)
from tests.worker.conftest import owner_id, upload  # noqa: F401  (fixtures)

PutFile = Callable[..., dict[str, Any]]
NewVersion = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def versions_table(aws: LocalResources) -> str:
    name = f"{aws.table_name}-versions"
    create_table(boto3.client("dynamodb", region_name="us-east-1"), name)
    return name


def _table_keys() -> list[dict[str, Any]]:
    items = []
    request: dict[str, Any] = {"TableName": db.table_name(), "ProjectionExpression": "pk, sk"}
    while True:
        page = db.dynamodb().scan(**request)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


@pytest.fixture(autouse=True)
def _a_small_table_of_their_own(versions_table: str) -> Iterator[None]:
    """These tests run on a table of their own, emptied after each: moto copies the whole
    table once per item of every transaction (its rollback copy), and a promotion has up to
    six items; on the session's shared table, grown by every test before, a full run grew
    past 18 GB during the 20-version test and was killed."""
    before = os.environ["TABLE_NAME"]
    os.environ["TABLE_NAME"] = versions_table
    reload_settings()
    try:
        yield
        db.batch_delete(_table_keys())
    finally:
        os.environ["TABLE_NAME"] = before
        reload_settings()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def land(file_id: str, data: bytes, content_type: str = "text/plain") -> str:
    """What the browser's POST of the form leaves in S3: a new version of the file's key."""
    put = aws_client("s3").put_object(
        Bucket=get_settings().bucket_name,
        Key=storage.object_key(file_id),
        Body=data,
        ContentType=content_type,
    )
    return str(put["VersionId"])


def stored_versions(file_id: str) -> list[str]:
    """Every S3 version of the file's key, newest first."""
    return storage.version_ids(storage.object_key(file_id))


def read_version(file_id: str, version_id: str) -> bytes:
    answer = aws_client("s3").get_object(
        Bucket=get_settings().bucket_name, Key=storage.object_key(file_id), VersionId=version_id
    )
    data: bytes = answer["Body"].read()
    return data


def usage(client: TestClient, user: ApiUser) -> dict[str, int]:
    me = client.get("/users/me", headers=user.headers)
    assert me.status_code == 200, me.text
    return dict(me.json()["usage"])


def versions_of(client: TestClient, user: ApiUser, file_id: str) -> list[dict[str, Any]]:
    listed = client.get(f"/files/{file_id}/versions", headers=user.headers)
    assert listed.status_code == 200, listed.text
    return list(listed.json()["items"])


@pytest.fixture
def put_file(client: TestClient) -> PutFile:
    """An available file of `user`: the File body."""

    def make(
        user: ApiUser, data: bytes = b"hello", content_type: str = "text/plain"
    ) -> dict[str, Any]:
        body = {"fileName": "notes.txt", "contentType": content_type, "size": len(data)}
        ticket = client.post("/files/upload-url", json=body, headers=user.headers)
        assert ticket.status_code == 201, ticket.text
        file_id = ticket.json()["fileId"]
        land(file_id, data, content_type)
        done = client.post(f"/files/{file_id}/complete", headers=user.headers)
        assert done.status_code == 200 and done.json()["status"] == "available", done.text
        return dict(done.json())

    return make


@pytest.fixture
def new_version(client: TestClient) -> NewVersion:
    """A new version declared, landed and completed through the API: the 200 File body."""

    def make(
        user: ApiUser, file_id: str, data: bytes, content_type: str = "text/plain"
    ) -> dict[str, Any]:
        body = {"contentType": content_type, "size": len(data)}
        declared = client.post(f"/files/{file_id}/versions", json=body, headers=user.headers)
        assert declared.status_code == 201, declared.text
        land(file_id, data, content_type)
        done = client.post(f"/files/{file_id}/complete", headers=user.headers)
        assert done.status_code == 200, done.text
        return dict(done.json())

    return make


@contextmanager
def setting(name: str, value: str) -> Iterator[None]:
    """One setting changed (by its environment name) for the block."""
    before = os.environ.get(name)
    os.environ[name] = value
    reload_settings()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before
        reload_settings()


@pytest.fixture
def small_quota(aws: object) -> Iterator[int]:
    """A 20-byte quota for every user, so what fits is counted in bytes the tests land."""
    with setting("DEFAULT_QUOTA_BYTES", "20"):
        yield 20


@pytest.fixture
def one_second_window(aws: object) -> Iterator[None]:
    """Upload forms (and so a pending version's reservation) that last one second."""
    with setting("UPLOAD_URL_TTL_SECONDS", "1"):
        yield
