"""Fixtures for the folder tests: the sharing tests' users and clock, and helpers that make
folders and files in them through the API."""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import db
from app.aws import client as aws_client
from app.files import storage
from app.settings import get_settings
from app.worker.handler import handle_batch
from app.worker.poller import stream_event
from tests.conftest import ApiUser
from tests.files.conftest import atomic_dynamodb  # noqa: F401
from tests.shares.conftest import (  # noqa: F401  (fixtures)
    fixed_clock,
    owner,
    recipient,
    stranger,
)

Mkdir = Callable[..., dict[str, Any]]
PutFile = Callable[..., dict[str, Any]]


def _table_keys() -> set[tuple[str, str]]:
    request = {"TableName": db.table_name(), "ProjectionExpression": "pk, sk"}
    keys = set()
    while True:
        page = db.dynamodb().scan(**request)
        keys.update((item["pk"]["S"], item["sk"]["S"]) for item in page["Items"])
        if "LastEvaluatedKey" not in page:
            return keys
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


@pytest.fixture(autouse=True)
def _leave_the_table_as_found() -> Iterator[None]:
    """The session shares one moto table, and moto copies the whole table on every
    TransactWriteItems: what these tests make is deleted after each, so later tests (the
    resilience ones run on a 0.4 s read timeout) do not pay for it."""
    before = _table_keys()
    yield
    made = _table_keys() - before
    db.batch_delete([{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in made])


@pytest.fixture
def peer_ip() -> str:
    """This test's own client address (a documentation-range IPv6)."""
    return f"2001:db8::f:{uuid.uuid4().hex[:4]}"


@pytest.fixture
def client(app: FastAPI, peer_ip: str) -> Iterator[TestClient]:
    """The API from an address of this test's own: per-IP password limits stay per test."""
    with TestClient(app, raise_server_exceptions=False, client=(peer_ip, 50000)) as test_client:
        yield test_client


@pytest.fixture
def mkdir(client: TestClient) -> Mkdir:
    """POST /folders: the 201 Folder."""

    def make(user: ApiUser, name: str = "Folder", parent: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"name": name}
        if parent is not None:
            body["parentId"] = parent
        response = client.post("/folders", json=body, headers=user.headers)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make


@pytest.fixture
def put_file(client: TestClient) -> PutFile:
    """An available file of `user` in `folder` (None: the top level): the File body."""

    def make(
        user: ApiUser, folder: str | None = None, name: str = "a.txt", data: bytes = b"hello"
    ) -> dict[str, Any]:
        body = {"fileName": name, "contentType": "text/plain", "size": len(data)}
        if folder is not None:
            body["folderId"] = folder
        ticket = client.post("/files/upload-url", json=body, headers=user.headers)
        assert ticket.status_code == 201, ticket.text
        file_id = ticket.json()["fileId"]
        aws_client("s3").put_object(
            Bucket=get_settings().bucket_name,
            Key=storage.object_key(file_id),
            Body=data,
            ContentType="text/plain",
        )
        done = client.post(f"/files/{file_id}/complete", headers=user.headers)
        assert done.status_code == 200 and done.json()["status"] == "available", done.text
        return dict(done.json())

    return make


def items(client: TestClient, user: ApiUser, folder: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/folders/{folder}/items", params=params, headers=user.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def names(page: dict[str, Any]) -> list[str]:
    return [
        entry["folder"]["name"] if entry["type"] == "folder" else entry["file"]["fileName"]
        for entry in page["items"]
    ]


def run_purges(folder_ids: list[str]) -> dict[str, Any]:
    """What Lambda does with the stream records of these purge jobs' inserts."""
    return handle_batch(stream_event(folder_ids, "us-east-1"))
