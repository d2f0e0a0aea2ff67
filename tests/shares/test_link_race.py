"""Parallel downloads of a one-download link: exactly one gets a URL."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.shares.conftest import Upload

RACERS = 8


@pytest.mark.parametrize("password", [None, "pw"])
def test_exactly_one_of_many_parallel_downloads_succeeds(
    client: TestClient, upload: Upload, owner: ApiUser, atomic_items: None, password: str | None
) -> None:
    file = upload(owner)
    body = {"expiresIn": 600, "maxDownloads": 1} | ({"password": password} if password else {})
    link = client.post(f"/files/{file['fileId']}/links", json=body, headers=owner.headers).json()
    start = threading.Barrier(RACERS)

    def download(_: int) -> httpx.Response:
        start.wait()
        return client.post(f"/links/{link['token']}/download", json={"password": password})

    with ThreadPoolExecutor(RACERS) as pool:
        responses = list(pool.map(download, range(RACERS)))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [404] * (RACERS - 1)
    assert all(r.json()["code"] == "link_not_found" for r in responses if r.status_code == 404)
    listed = client.get(f"/files/{file['fileId']}/links", headers=owner.headers).json()
    assert listed["items"][0]["downloads"] == 1
    log = client.get(f"/files/{file['fileId']}/activity", headers=owner.headers).json()
    assert [entry["action"] for entry in log["items"]].count("link_downloaded") == 1
