"""The SHA-256 an uploader may declare: kept as declared (lowercased), never checked, carried on
the File; anything but 64 hex characters is a 422 that reserves nothing."""

import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.aws import client as aws_client
from app.files import repository, service, storage
from app.files.schemas import FileCreate
from app.settings import get_settings
from tests.conftest import ApiUser
from tests.files.conftest import land
from tests.worker.conftest import owner_id  # noqa: F401  (fixture)

MIB = 1024**2
DATA = b"hello"
DIGEST = hashlib.sha256(DATA).hexdigest()
BAD_DIGESTS = [
    DIGEST[:-1],  # 63 characters
    DIGEST + "0",  # 65
    "g" + DIGEST[1:],  # not hex
    DIGEST[:-1] + " ",
    DIGEST + "\n",
    "sha256:" + DIGEST,
    "",
    42,
]


def _upload_url(client: TestClient, user: ApiUser, **extra: Any) -> Any:
    body = {"fileName": "notes.txt", "contentType": "text/plain", "size": len(DATA)} | extra
    return client.post("/files/upload-url", json=body, headers=user.headers)


def _usage(client: TestClient, user: ApiUser) -> dict[str, int]:
    return dict(client.get("/users/me", headers=user.headers).json()["usage"])


def test_a_declared_digest_comes_back_lowercased_on_the_file_once_complete(
    client: TestClient, user: ApiUser
) -> None:
    ticket = _upload_url(client, user, sha256=DIGEST.upper())
    assert ticket.status_code == 201, ticket.text
    file_id = ticket.json()["fileId"]
    assert ticket.json()["file"]["sha256"] == DIGEST  # the pending file says it already
    land(file_id, DATA)

    done = client.post(f"/files/{file_id}/complete", headers=user.headers)

    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["sha256"]) == ("available", DIGEST)
    assert client.get(f"/files/{file_id}", headers=user.headers).json()["sha256"] == DIGEST
    listed = client.get("/files", headers=user.headers).json()["items"]
    assert [(f["fileId"], f["sha256"]) for f in listed] == [(file_id, DIGEST)]


def test_the_server_does_not_check_the_declared_digest(client: TestClient, user: ApiUser) -> None:
    """Clients verify downloads against it; the server would have to read every object."""
    other = hashlib.sha256(b"other").hexdigest()
    ticket = _upload_url(client, user, sha256=other).json()
    land(ticket["fileId"], DATA)
    done = client.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["sha256"]) == ("available", other)


@pytest.mark.parametrize("absent", [{}, {"sha256": None}])
def test_without_a_declared_digest_the_file_says_null(
    client: TestClient, user: ApiUser, absent: dict[str, Any]
) -> None:
    ticket = _upload_url(client, user, **absent).json()
    land(ticket["fileId"], DATA)
    done = client.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert done.status_code == 200, done.text
    assert "sha256" in done.json() and done.json()["sha256"] is None


@pytest.mark.parametrize("bad", BAD_DIGESTS)
@pytest.mark.parametrize("route", ["/files/upload-url", "/files/multipart"])
def test_anything_but_64_hex_characters_is_a_validation_error_that_reserves_nothing(
    client: TestClient, user: ApiUser, route: str, bad: object
) -> None:
    body = {"fileName": "notes.bin", "contentType": "text/plain", "size": 6 * MIB, "sha256": bad}
    response = client.post(route, json=body, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "validation_error"
    assert "sha256" in response.text
    assert _usage(client, user) == {"files": 0, "bytes": 0}


def test_a_multipart_upload_keeps_its_declared_digest(client: TestClient, user: ApiUser) -> None:
    data = b"a" * 5 * MIB + b"bc"
    body = {
        "fileName": "big.bin",
        "contentType": "application/octet-stream",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest().upper(),
    }
    ticket = client.post("/files/multipart", json=body, headers=user.headers)
    assert ticket.status_code == 201, ticket.text
    file_id, upload_id = ticket.json()["fileId"], ticket.json()["uploadId"]
    parts = []
    for number, chunk in ((1, data[: 5 * MIB]), (2, data[5 * MIB :])):
        answer = aws_client("s3").upload_part(
            Bucket=get_settings().bucket_name,
            Key=storage.object_key(file_id),
            UploadId=upload_id,
            PartNumber=number,
            Body=chunk,
        )
        parts.append({"partNumber": number, "etag": answer["ETag"]})

    done = client.post(
        f"/files/{file_id}/multipart/complete", json={"parts": parts}, headers=user.headers
    )

    assert done.status_code == 200, done.text
    assert done.json()["status"] == "available"
    assert done.json()["sha256"] == hashlib.sha256(data).hexdigest()


def test_the_service_keeps_the_declared_digest_with_the_file_through_verification(
    owner_id: str,  # noqa: F811  (the fixture)
) -> None:
    body = FileCreate(
        file_name="notes.txt", content_type="text/plain", size=len(DATA), sha256=DIGEST.upper()
    )
    ticket = service.create_upload(owner_id, body)
    pending = repository.get_file(ticket.file_id)
    assert pending is not None and (pending.status, pending.sha256) == ("pending", DIGEST)
    land(ticket.file_id, DATA)

    verified = service.verify_upload(ticket.file_id)

    assert verified is not None and (verified.status, verified.sha256) == ("available", DIGEST)


def test_the_service_stores_no_digest_when_none_was_declared(
    owner_id: str,  # noqa: F811  (the fixture)
) -> None:
    body = FileCreate(file_name="notes.txt", content_type="text/plain", size=len(DATA))
    ticket = service.create_upload(owner_id, body)
    land(ticket.file_id, DATA)
    verified = service.verify_upload(ticket.file_id)
    assert verified is not None and verified.status == "available" and verified.sha256 is None
