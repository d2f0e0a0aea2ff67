"""Links through the Lambda entry point: the page URL keeps the stage, the log keeps sourceIp."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.local.bootstrap import LocalResources
from app.main import app as lambda_app
from app.main import handler
from tests.conftest import ApiUser, trust_moto_tokens
from tests.deploy.conftest import LambdaContext, api_event, response_json
from tests.shares.conftest import Upload


@pytest.fixture
def lambda_verifies_moto_tokens(aws: LocalResources) -> Iterator[None]:
    trust_moto_tokens(lambda_app)
    yield
    lambda_app.dependency_overrides.clear()


def call(method: str, path: str, owner: ApiUser | None = None, body: Any = None) -> Any:
    headers = {"content-type": "application/json"} | (owner.headers if owner else {})
    raw = json.dumps(body).encode() if body is not None else None
    event = api_event("v2-dev", method, path, headers=headers, body=raw)
    return handler(event, LambdaContext())


def test_behind_a_stage_the_link_url_and_the_log_are_right(
    client: TestClient, upload: Upload, owner: ApiUser, lambda_verifies_moto_tokens: None
) -> None:
    file_id = upload(owner)["fileId"]
    created = call("POST", f"/files/{file_id}/links", owner, {"expiresIn": 600})
    assert created["statusCode"] == 201, created["body"]
    link = response_json(created)
    host = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com"
    assert link["url"] == f"{host}/dev/s/{link['token']}"
    downloaded = call("POST", f"/links/{link['token']}/download")
    assert downloaded["statusCode"] == 200, downloaded["body"]
    log = client.get(f"/files/{file_id}/activity", headers=owner.headers).json()["items"]
    assert [(e["action"], e["ip"]) for e in log] == [
        ("link_downloaded", "203.0.113.7"),
        ("link_created", "203.0.113.7"),
    ]
