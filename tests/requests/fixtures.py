"""The upload request tests' own fixtures (conftest.py imports them): a folder of the owner,
requests made through the owner's route, and sends through the public one."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import ApiUser

MakeRequest = Callable[..., dict[str, Any]]
Send = Callable[..., httpx.Response]


@pytest.fixture
def folder(mkdir: Callable[..., dict[str, Any]], owner: ApiUser) -> dict[str, Any]:
    """A folder of `owner`, where their requests' files land."""
    return mkdir(owner, "Inbox")


@pytest.fixture
def make_request(client: TestClient, owner: ApiUser, folder: dict[str, Any]) -> MakeRequest:
    """POST /folders/{folderId}/requests as the owner: the 201 Request (an hour by default)."""

    def make(**body: Any) -> dict[str, Any]:
        body = {"title": "Send me your photos", "expiresIn": 3600} | body
        response = client.post(
            f"/folders/{folder['folderId']}/requests", json=body, headers=owner.headers
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make


@pytest.fixture
def send(client: TestClient) -> Send:
    """POST /requests/{token}/uploads with no sign-in: a 5-byte text file unless told."""

    def post(token: str, **body: Any) -> httpx.Response:
        body = {"fileName": "notes.txt", "contentType": "text/plain", "size": 5} | body
        return client.post(f"/requests/{token}/uploads", json=body)

    return post
