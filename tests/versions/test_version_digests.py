"""Declared SHA-256s and versions: the File carries the current version's (null when it declared
none), every listed version its own, and a restore or a dropped bad version brings the
digest of the version that is current again."""

import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.files import repository, service, versions
from app.files.repository import FileRecord
from app.files.schemas import FileCreate, VersionCreate
from app.worker.handler import handler
from tests.conftest import ApiUser
from tests.files.conftest import put_part
from tests.versions.conftest import land, usage, versions_of
from tests.worker.conftest import load_event
from tests.worker.images import image_bytes

MIB = 1024**2


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _put_file(client: TestClient, user: ApiUser, data: bytes, **extra: Any) -> dict[str, Any]:
    body = {"fileName": "notes.txt", "contentType": "text/plain", "size": len(data)} | extra
    ticket = client.post("/files/upload-url", json=body, headers=user.headers)
    assert ticket.status_code == 201, ticket.text
    land(ticket.json()["fileId"], data)
    done = client.post(f"/files/{ticket.json()['fileId']}/complete", headers=user.headers)
    assert done.status_code == 200 and done.json()["status"] == "available", done.text
    return dict(done.json())


def _new_version(
    client: TestClient, user: ApiUser, file_id: str, data: bytes, **extra: Any
) -> dict[str, Any]:
    body = {"contentType": "text/plain", "size": len(data)} | extra
    declared = client.post(f"/files/{file_id}/versions", json=body, headers=user.headers)
    assert declared.status_code == 201, declared.text
    land(file_id, data)
    done = client.post(f"/files/{file_id}/complete", headers=user.headers)
    assert done.status_code == 200, done.text
    return dict(done.json())


def _listed(client: TestClient, user: ApiUser, file_id: str) -> list[tuple[bool, str | None]]:
    return [(v["current"], v["sha256"]) for v in versions_of(client, user, file_id)]


def test_a_new_version_with_a_digest_makes_it_the_files_and_the_list_shows_each(
    client: TestClient, owner: ApiUser
) -> None:
    file = _put_file(client, owner, b"first", sha256=digest(b"first"))
    done = _new_version(client, owner, file["fileId"], b"second", sha256=digest(b"second").upper())

    assert (done["versionCount"], done["sha256"]) == (2, digest(b"second"))
    got = client.get(f"/files/{file['fileId']}", headers=owner.headers).json()
    assert got["sha256"] == digest(b"second")
    assert _listed(client, owner, file["fileId"]) == [
        (True, digest(b"second")),
        (False, digest(b"first")),
    ]


def test_a_new_version_without_a_digest_leaves_the_file_with_none(
    client: TestClient, owner: ApiUser
) -> None:
    file = _put_file(client, owner, b"first", sha256=digest(b"first"))
    done = _new_version(client, owner, file["fileId"], b"second")

    assert done["versionCount"] == 2 and done["sha256"] is None
    assert _listed(client, owner, file["fileId"]) == [(True, None), (False, digest(b"first"))]


def test_a_version_with_a_digest_replaces_one_without(client: TestClient, owner: ApiUser) -> None:
    file = _put_file(client, owner, b"first")
    assert file["sha256"] is None
    done = _new_version(client, owner, file["fileId"], b"second", sha256=digest(b"second"))
    assert done["sha256"] == digest(b"second")
    assert _listed(client, owner, file["fileId"]) == [(True, digest(b"second")), (False, None)]


def test_a_restore_carries_the_restored_versions_digest(client: TestClient, owner: ApiUser) -> None:
    file = _put_file(client, owner, b"first", sha256=digest(b"first"))
    _new_version(client, owner, file["fileId"], b"second")
    first = versions_of(client, owner, file["fileId"])[-1]

    response = client.post(
        f"/files/{file['fileId']}/versions/{first['versionId']}/restore", headers=owner.headers
    )

    assert response.status_code == 200, response.text
    assert (response.json()["versionCount"], response.json()["sha256"]) == (3, digest(b"first"))
    assert _listed(client, owner, file["fileId"]) == [
        (True, digest(b"first")),
        (False, None),
        (False, digest(b"first")),
    ]


def test_a_multipart_new_version_keeps_its_digest(client: TestClient, owner: ApiUser) -> None:
    file = _put_file(client, owner, b"first")
    data = b"a" * 5 * MIB + b"bc"
    body = {"contentType": "application/octet-stream", "size": len(data), "sha256": digest(data)}
    started = client.post(
        f"/files/{file['fileId']}/versions/multipart", json=body, headers=owner.headers
    )
    assert started.status_code == 201, started.text
    ticket = started.json()
    parts = [
        {"partNumber": n, "etag": put_part(file["fileId"], ticket["uploadId"], n, chunk)}
        for n, chunk in ((1, data[: 5 * MIB]), (2, data[5 * MIB :]))
    ]

    done = client.post(
        f"/files/{file['fileId']}/multipart/complete", json={"parts": parts}, headers=owner.headers
    )

    assert done.status_code == 200, done.text
    assert (done.json()["size"], done.json()["sha256"]) == (len(data), digest(data))


@pytest.mark.parametrize("bad", ["0" * 63, "z" * 64, "0" * 64 + " ", 7])
@pytest.mark.parametrize("route", ["versions", "versions/multipart"])
def test_a_bad_digest_on_a_new_version_is_a_validation_error_that_reserves_nothing(
    client: TestClient, owner: ApiUser, route: str, bad: object
) -> None:
    file = _put_file(client, owner, b"first")
    body = {"contentType": "text/plain", "size": 6 * MIB, "sha256": bad}
    response = client.post(f"/files/{file['fileId']}/{route}", json=body, headers=owner.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "validation_error"
    assert usage(client, owner) == {"files": 1, "bytes": 5}


def _available(owner_id: str, data: bytes, content_type: str, sha256: str) -> FileRecord:
    body = FileCreate(file_name="f", content_type=content_type, size=len(data), sha256=sha256)
    ticket = service.create_upload(owner_id, body)
    land(ticket.file_id, data, content_type)
    record = service.verify_upload(ticket.file_id)
    assert record is not None and record.status == "available"
    return record


def test_the_service_promotes_a_new_versions_digest_and_keeps_the_replaced_one(
    owner_id: str,
) -> None:
    record = _available(owner_id, b"first", "text/plain", digest(b"first"))
    versions.create_upload(
        record, VersionCreate(content_type="text/plain", size=6, sha256=digest(b"second"))
    )
    land(record.file_id, b"second")

    current = service.verify_upload(record.file_id)

    assert current is not None and current.sha256 == digest(b"second")
    listed = versions.list_versions(current).items
    assert [v.sha256 for v in listed] == [digest(b"second"), digest(b"first")]


def test_a_version_the_worker_drops_brings_back_the_previous_digest(owner_id: str) -> None:
    png = image_bytes("PNG", (60, 30))
    record = _available(owner_id, png, "image/png", digest(png))
    fake = b"x" * 40  # declared an image, not one
    versions.create_upload(
        record, VersionCreate(content_type="image/png", size=len(fake), sha256=digest(fake))
    )
    land(record.file_id, fake, "image/png")

    assert handler(load_event("sqs_single_upload", [record.file_id]), None) == {
        "batchItemFailures": []
    }

    back = repository.get_file(record.file_id)
    assert back is not None and back.version_id == record.version_id
    assert back.sha256 == digest(png)
