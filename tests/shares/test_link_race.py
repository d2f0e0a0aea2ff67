"""Parallel downloads of a one-download link: exactly one gets a URL."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from app.clock import utcnow
from tests.conftest import ApiUser
from tests.shares.conftest import Upload, store_password_link

RACERS = 8


@pytest.mark.parametrize("password", [None, "the password"])
def test_exactly_one_of_many_parallel_downloads_succeeds(
    client: TestClient, upload: Upload, owner: ApiUser, atomic_dynamodb: None, password: str | None
) -> None:
    file = upload(owner)
    if password is None:
        body = {"expiresIn": 600, "maxDownloads": 1}
        link = client.post(f"/files/{file['fileId']}/links", json=body, headers=owner.headers)
        token = link.json()["token"]
    else:
        token = store_password_link(file, password, utcnow(), max_downloads=1).token
    start = threading.Barrier(RACERS)

    def download(_: int) -> httpx.Response:
        start.wait()
        return client.post(f"/links/{token}/download", json={"password": password})

    with ThreadPoolExecutor(RACERS) as pool:
        responses = list(pool.map(download, range(RACERS)))
    statuses = sorted(response.status_code for response in responses)
    # With a password, attempts past the link's five answer 429 before they are evaluated.
    refused = {404} if password is None else {404, 429}
    assert statuses.count(200) == 1 and set(statuses[1:]) <= refused, statuses
    assert all(r.json()["code"] == "link_not_found" for r in responses if r.status_code == 404)
    listed = client.get(f"/files/{file['fileId']}/links", headers=owner.headers).json()
    assert listed["items"][0]["downloads"] == 1
    log = client.get(f"/files/{file['fileId']}/activity", headers=owner.headers).json()
    assert [entry["action"] for entry in log["items"]].count("link_downloaded") == 1
