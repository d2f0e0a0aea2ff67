"""Who gets which version: recipients and links always the current one; the version routes
are the owner's alone (anyone else: the same 404 as a file that does not exist)."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.shares.conftest import assert_file_not_found
from tests.versions.conftest import NewVersion, PutFile, versions_of


def _version_signed(url: str) -> str:
    return parse_qs(urlsplit(url).query)["versionId"][0]


def test_a_recipient_and_a_link_download_the_current_version(
    client: TestClient,
    owner: ApiUser,
    recipient: ApiUser,
    put_file: PutFile,
    new_version: NewVersion,
) -> None:
    file = put_file(owner, b"old")
    shared = client.post(
        f"/files/{file['fileId']}/share", json={"email": recipient.email}, headers=owner.headers
    )
    assert shared.status_code == 201, shared.text
    link = client.post(
        f"/files/{file['fileId']}/links", json={"expiresIn": 3600}, headers=owner.headers
    )
    assert link.status_code == 201, link.text
    new_version(owner, file["fileId"], b"newer")
    current = versions_of(client, owner, file["fileId"])[0]

    seen = client.get(f"/files/{file['fileId']}", headers=recipient.headers).json()
    mine = client.get(f"/files/{file['fileId']}/download-url", headers=recipient.headers)
    public = client.post(f"/links/{link.json()['token']}/download", json={})

    assert seen["size"] == 5 and seen["sharedWithMe"] is True
    assert _version_signed(mine.json()["downloadUrl"]) == current["versionId"]
    assert public.status_code == 200, public.text
    assert _version_signed(public.json()["downloadUrl"]) == current["versionId"]


def _version_routes(file_id: str, version_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    base = f"/files/{file_id}/versions"
    declare = {"json": {"contentType": "text/plain", "size": 3}}
    return [
        ("POST", base, declare),
        ("POST", f"{base}/multipart", {"json": {"contentType": "text/plain", "size": 6 << 20}}),
        ("GET", base, {}),
        ("GET", f"{base}/{version_id}/download-url", {}),
        ("POST", f"{base}/{version_id}/restore", {}),
        ("DELETE", f"{base}/{version_id}", {}),
    ]


def test_a_recipient_and_a_stranger_get_404_from_every_version_route(
    client: TestClient,
    owner: ApiUser,
    recipient: ApiUser,
    stranger: ApiUser,
    put_file: PutFile,
    new_version: NewVersion,
) -> None:
    file = put_file(owner, b"old")
    client.post(
        f"/files/{file['fileId']}/share", json={"email": recipient.email}, headers=owner.headers
    )
    new_version(owner, file["fileId"], b"newer")
    before = versions_of(client, owner, file["fileId"])
    old = before[1]["versionId"]

    for caller in (recipient, stranger):
        for method, path, extra in _version_routes(file["fileId"], old):
            assert_file_not_found(client.request(method, path, headers=caller.headers, **extra))

    assert versions_of(client, owner, file["fileId"]) == before


def test_version_routes_of_a_file_that_does_not_exist_are_404(
    client: TestClient, owner: ApiUser
) -> None:
    for method, path, extra in _version_routes("3f0c9a4e-5b1d-4c7e-9a2f-000000000009", "v"):
        assert_file_not_found(client.request(method, path, headers=owner.headers, **extra))


def test_bad_version_declarations_are_422_problems(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    for body in ({"contentType": "text", "size": 3}, {"contentType": "text/plain", "size": -1}, {}):
        response = client.post(
            f"/files/{file['fileId']}/versions", json=body, headers=owner.headers
        )
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
    small = client.post(
        f"/files/{file['fileId']}/versions/multipart",
        json={"contentType": "text/plain", "size": 1024},
        headers=owner.headers,
    )
    assert small.status_code == 422


def test_the_version_routes_are_in_the_docs_with_their_problems(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method, problems in [
        ("/files/{fileId}/versions", "post", {"403", "404", "409", "413"}),
        ("/files/{fileId}/versions", "get", {"404"}),
        ("/files/{fileId}/versions/multipart", "post", {"403", "404", "409"}),
        ("/files/{fileId}/versions/{versionId}/download-url", "get", {"404"}),
        ("/files/{fileId}/versions/{versionId}/restore", "post", {"403", "404", "409", "413"}),
        ("/files/{fileId}/versions/{versionId}", "delete", {"404", "409"}),
    ]:
        operation = paths[path][method]
        assert operation["summary"] and operation["description"]
        assert problems <= set(operation["responses"]), (path, method)
