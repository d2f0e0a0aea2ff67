"""One file: read, rename, download URL, thumbnail URL, delete; strangers see nothing."""

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.aws import client as aws_client
from app.files import repository, storage
from app.settings import get_settings
from tests.conftest import ApiUser
from tests.files.conftest import Declare, Uploaded, object_exists


def _usage(client: TestClient, user: ApiUser) -> dict[str, int]:
    return client.get("/users/me", headers=user.headers).json()["usage"]


def test_owner_reads_the_file(client: TestClient, user: ApiUser, uploaded: Uploaded) -> None:
    file = uploaded(user, name="a.txt")
    response = client.get(f"/files/{file['fileId']}", headers=user.headers)
    assert response.status_code == 200
    assert response.json() == file
    assert file["ownerId"] == user.user_id and file["sharedWithMe"] is False
    # every time the API answers has app/clock.py's one format: UTC, microseconds, fixed width
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", file["createdAt"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", file["uploadedAt"])


def test_rename_changes_only_the_name(
    client: TestClient, user: ApiUser, uploaded: Uploaded
) -> None:
    file = uploaded(user, name="old.txt")
    response = client.patch(
        f"/files/{file['fileId']}", json={"fileName": " new name.txt "}, headers=user.headers
    )
    assert response.status_code == 200
    assert response.json() == file | {"fileName": "new name.txt"}
    assert client.get(f"/files/{file['fileId']}", headers=user.headers).json() == response.json()


@pytest.mark.parametrize("name", ["", "..", "a/b", "x" * 256, "tab\there"])
def test_rename_to_a_bad_name_is_422(
    client: TestClient, user: ApiUser, uploaded: Uploaded, name: str
) -> None:
    file = uploaded(user)
    response = client.patch(
        f"/files/{file['fileId']}", json={"fileName": name}, headers=user.headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_download_url_names_the_file_rfc6266_and_is_attachment_by_default(
    client: TestClient, user: ApiUser, uploaded: Uploaded
) -> None:
    file = uploaded(user, name='naïve "résumé".txt')
    response = client.get(f"/files/{file['fileId']}/download-url", headers=user.headers)
    assert response.status_code == 200
    assert response.json()["expiresIn"] == get_settings().download_url_ttl_seconds
    url = urlsplit(response.json()["downloadUrl"])
    query = parse_qs(url.query)
    assert url.path.endswith(f"uploads/{file['fileId']}")
    assert query["response-content-disposition"] == [
        'attachment; filename="na_ve _r_sum__.txt"; '
        "filename*=UTF-8''na%C3%AFve%20%22r%C3%A9sum%C3%A9%22.txt"
    ]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    inline = client.get(
        f"/files/{file['fileId']}/download-url?disposition=inline", headers=user.headers
    )
    assert parse_qs(urlsplit(inline.json()["downloadUrl"]).query)["response-content-disposition"][
        0
    ].startswith("inline; ")
    bad = client.get(f"/files/{file['fileId']}/download-url?disposition=x", headers=user.headers)
    assert bad.status_code == 422


def test_download_url_of_a_pending_file_is_file_not_available(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    ticket = declare(user)
    response = client.get(f"/files/{ticket['fileId']}/download-url", headers=user.headers)
    assert response.status_code == 409
    assert response.json()["code"] == "file_not_available"


def test_thumbnail_url_exists_only_once_a_thumbnail_was_made(
    client: TestClient, user: ApiUser, uploaded: Uploaded
) -> None:
    file = uploaded(user)
    missing = client.get(f"/files/{file['fileId']}/thumbnail-url", headers=user.headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "thumbnail_not_found"
    repository.set_thumbnail(file["fileId"])
    found = client.get(f"/files/{file['fileId']}/thumbnail-url", headers=user.headers)
    assert found.status_code == 200
    assert f"thumbnails/{file['fileId']}.jpg" in found.json()["thumbnailUrl"]
    assert client.get(f"/files/{file['fileId']}", headers=user.headers).json()["hasThumbnail"]


def test_delete_then_delete_for_good_removes_object_thumbnail_metadata_and_usage(
    client: TestClient, user: ApiUser, uploaded: Uploaded
) -> None:
    file = uploaded(user, data=b"12345678")
    file_id = file["fileId"]
    aws_client("s3").put_object(
        Bucket=get_settings().bucket_name, Key=storage.thumbnail_key(file_id), Body=b"jpg"
    )
    repository.set_thumbnail(file_id)
    assert _usage(client, user) == {"files": 1, "bytes": 8}
    response = client.delete(f"/files/{file_id}", headers=user.headers)
    assert response.status_code == 204 and response.content == b""
    assert object_exists(storage.object_key(file_id))  # in the trash: restorable
    assert client.get(f"/files/{file_id}", headers=user.headers).status_code == 404
    assert _usage(client, user) == {"files": 1, "bytes": 8}
    assert client.delete(f"/trash/{file_id}", headers=user.headers).status_code == 204
    assert not object_exists(storage.object_key(file_id))
    assert not object_exists(storage.thumbnail_key(file_id))
    assert client.get(f"/files/{file_id}", headers=user.headers).status_code == 404
    assert _usage(client, user) == {"files": 0, "bytes": 0}
    assert client.delete(f"/files/{file_id}", headers=user.headers).status_code == 404


def test_deleting_a_pending_file_frees_its_reservation(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    ticket = declare(user, size=1000)
    assert _usage(client, user) == {"files": 0, "bytes": 1000}
    assert client.delete(f"/files/{ticket['fileId']}", headers=user.headers).status_code == 204
    assert _usage(client, user) == {"files": 0, "bytes": 0}


ROUTES: list[tuple[str, str, dict | None]] = [
    ("GET", "/files/{id}", None),
    ("PATCH", "/files/{id}", {"fileName": "mine.txt"}),
    ("DELETE", "/files/{id}", None),
    ("POST", "/files/{id}/complete", None),
    ("GET", "/files/{id}/download-url", None),
    ("GET", "/files/{id}/thumbnail-url", None),
    ("GET", "/files/{id}/multipart", None),
    ("POST", "/files/{id}/multipart/complete", {"parts": [{"partNumber": 1, "etag": "x"}]}),
    ("DELETE", "/files/{id}/multipart", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_strangers_get_the_same_404_as_for_a_file_that_does_not_exist(
    client: TestClient,
    make_user: Callable[..., ApiUser],
    uploaded: Uploaded,
    method: str,
    path: str,
    body: dict | None,
) -> None:
    owner, stranger = make_user("owner"), make_user("stranger")
    file = uploaded(owner)
    answers = [
        client.request(method, path.format(id=file_id), json=body, headers=stranger.headers)
        for file_id in (file["fileId"], "0b7e7c1e-1c1e-4c1e-9c1e-000000000000", "not-a-uuid")
    ]
    for answer in answers:
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["code"] == "file_not_found"
    assert answers[0].json() == answers[1].json() == answers[2].json()
    still = client.get(f"/files/{file['fileId']}", headers=owner.headers)
    assert still.status_code == 200 and still.json() == file
