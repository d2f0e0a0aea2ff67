"""Download URLs: the verified version only, and no stored type runs on the bucket's origin."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.aws import client as aws_client
from app.files import downloads, repository
from app.settings import get_settings
from tests.conftest import ApiUser
from tests.files.conftest import Declare, land


def _available(
    client: TestClient, declare: Declare, owner: ApiUser, content_type: str, data: bytes
) -> dict[str, Any]:
    ticket = declare(owner, name="file", content_type=content_type, size=len(data))
    land(ticket["fileId"], data, content_type)
    done = client.post(f"/files/{ticket['fileId']}/complete", headers=owner.headers)
    assert done.status_code == 200 and done.json()["status"] == "available", done.text
    return dict(done.json())


def _query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def _inline_url(client: TestClient, owner: ApiUser, file_id: str) -> dict[str, str]:
    path = f"/files/{file_id}/download-url?disposition=inline"
    response = client.get(path, headers=owner.headers)
    assert response.status_code == 200, response.text
    return _query(response.json()["downloadUrl"])


@pytest.mark.parametrize(
    "content_type", ["text/html", "image/svg+xml", "application/xml", "text/javascript"]
)
def test_inline_of_a_type_that_could_run_is_an_octet_stream_attachment(
    client: TestClient, user: ApiUser, declare: Declare, content_type: str
) -> None:
    file = _available(client, declare, user, content_type, b"<script>alert(1)</script>")

    query = _inline_url(client, user, file["fileId"])

    assert query["response-content-disposition"].startswith("attachment; ")
    assert query["response-content-type"] == "application/octet-stream"
    assert client.get(f"/files/{file['fileId']}", headers=user.headers).json()["contentType"] == (
        content_type  # the file still says what it is; only how S3 serves it changes
    )


@pytest.mark.parametrize("content_type", ["image/png", "application/pdf"])
def test_inline_of_a_passive_type_stays_inline_with_its_own_type(
    client: TestClient, user: ApiUser, declare: Declare, content_type: str
) -> None:
    file = _available(client, declare, user, content_type, b"bytes")

    query = _inline_url(client, user, file["fileId"])

    assert query["response-content-disposition"].startswith("inline; ")
    assert query["response-content-type"] == content_type


@pytest.mark.parametrize(
    ("content_type", "asked", "served"),
    [
        ("image/jpeg", "inline", ("inline", "image/jpeg")),
        ("text/plain; charset=utf-8", "inline", ("inline", "text/plain; charset=utf-8")),
        ("audio/mpeg", "inline", ("inline", "audio/mpeg")),
        ("video/mp4", "attachment", ("attachment", "video/mp4")),
        ("TEXT/HTML; charset=utf-8", "inline", ("attachment", "application/octet-stream")),
        ("application/xhtml+xml", "inline", ("attachment", "application/octet-stream")),
        ("text/xml", "attachment", ("attachment", "application/octet-stream")),
        ("application/zip", "attachment", ("attachment", "application/octet-stream")),
    ],
)
def test_only_passive_types_are_served_as_themselves(
    content_type: str, asked: str, served: tuple[str, str]
) -> None:
    assert downloads.served_as(content_type, asked) == served


def test_a_public_link_serves_html_as_an_octet_stream_attachment(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    file = _available(client, declare, user, "text/html", b"<h1>Log in here</h1>")
    link = client.post(
        f"/files/{file['fileId']}/links", json={"expiresIn": 3600}, headers=user.headers
    )
    assert link.status_code == 201, link.text

    download = client.post(f"/links/{link.json()['token']}/download")

    assert download.status_code == 200, download.text
    query = _query(download.json()["downloadUrl"])
    assert query["response-content-type"] == "application/octet-stream"
    assert query["response-content-disposition"].startswith("attachment; ")


def test_a_download_names_the_version_that_was_verified(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    file = _available(client, declare, user, "text/plain", b"hello")
    record = repository.get_file(file["fileId"])
    assert record is not None and record.version_id

    query = _inline_url(client, user, file["fileId"])

    assert query["versionId"] == record.version_id


def test_a_thumbnail_is_served_as_the_jpeg_the_worker_wrote(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    file = _available(client, declare, user, "image/png", b"png bytes")
    repository.set_thumbnail(file["fileId"])

    response = client.get(f"/files/{file['fileId']}/thumbnail-url", headers=user.headers)

    assert response.status_code == 200
    assert _query(response.json()["thumbnailUrl"])["response-content-type"] == "image/jpeg"


def test_deleting_a_file_for_good_deletes_every_stored_version_of_its_bytes(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    file = _available(client, declare, user, "text/plain", b"hello")
    land(file["fileId"], b"again")  # its upload form, posted a second time

    assert client.delete(f"/files/{file['fileId']}", headers=user.headers).status_code == 204
    assert client.delete(f"/trash/{file['fileId']}", headers=user.headers).status_code == 204

    listed = aws_client("s3").list_object_versions(
        Bucket=get_settings().bucket_name, Prefix=f"uploads/{file['fileId']}"
    )
    assert listed.get("Versions", []) == [] and listed.get("DeleteMarkers", []) == []
