"""New versions through the API: declared, landed, verified by POST /complete, then current."""

import base64
import json
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.faults import inject
from tests.files.conftest import put_part
from tests.versions.conftest import (
    NewVersion,
    PutFile,
    land,
    read_version,
    stored_versions,
    usage,
    versions_of,
)

MIB = 1024**2


def test_a_new_version_is_a_presigned_post_to_the_files_own_key_pinned_to_its_bytes(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    body = {"contentType": "application/pdf", "size": 1234}
    response = client.post(f"/files/{file['fileId']}/versions", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    ticket = response.json()
    fields = ticket["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    key = f"uploads/{file['fileId']}"
    assert fields["key"] == key and {"key": key} in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    assert ["content-length-range", 1234, 1234] in policy["conditions"]
    assert ticket["fileId"] == file["fileId"] and ticket["file"] == file
    assert usage(client, owner) == {"files": 1, "bytes": 5 + 1234}


def test_a_verified_new_version_becomes_current_and_the_replaced_one_is_kept(
    client: TestClient, owner: ApiUser, put_file: PutFile, new_version: NewVersion
) -> None:
    file = put_file(owner, b"hello")
    done = new_version(owner, file["fileId"], b"hello again", "text/markdown")

    assert done["status"] == "available" and done["versionCount"] == 2
    assert (done["size"], done["contentType"]) == (11, "text/markdown")
    assert done["uploadedAt"] > file["uploadedAt"] and done["hasThumbnail"] is False
    listed = versions_of(client, owner, file["fileId"])
    assert [(v["size"], v["contentType"], v["current"]) for v in listed] == [
        (11, "text/markdown", True),
        (5, "text/plain", False),
    ]
    assert listed[1]["uploadedAt"] == file["uploadedAt"]
    assert stored_versions(file["fileId"]) == [v["versionId"] for v in listed]
    assert read_version(file["fileId"], listed[1]["versionId"]) == b"hello"
    assert usage(client, owner) == {"files": 1, "bytes": 16}
    again = client.post(f"/files/{file['fileId']}/complete", headers=owner.headers)
    assert again.status_code == 200 and again.json() == done
    assert usage(client, owner) == {"files": 1, "bytes": 16}


def test_complete_before_the_new_version_lands_is_upload_missing_and_changes_nothing(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    body = {"contentType": "text/plain", "size": 3}
    assert client.post(f"/files/{file['fileId']}/versions", json=body, headers=owner.headers)
    response = client.post(f"/files/{file['fileId']}/complete", headers=owner.headers)
    assert response.status_code == 409 and response.json()["code"] == "upload_missing"
    assert client.get(f"/files/{file['fileId']}", headers=owner.headers).json() == file


def test_a_version_of_the_wrong_size_is_rejected_gives_its_bytes_back_and_keeps_the_current(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner, b"hello")
    body = {"contentType": "text/plain", "size": 3}
    assert client.post(f"/files/{file['fileId']}/versions", json=body, headers=owner.headers)
    assert usage(client, owner)["bytes"] == 8
    land(file["fileId"], b"much longer")

    response = client.post(f"/files/{file['fileId']}/complete", headers=owner.headers)

    assert response.status_code == 409, response.text
    assert response.json()["code"] == "version_rejected"
    assert "size_mismatch" in response.json()["detail"]
    assert client.get(f"/files/{file['fileId']}", headers=owner.headers).json() == file
    assert usage(client, owner) == {"files": 1, "bytes": 5}
    (only,) = versions_of(client, owner, file["fileId"])
    assert stored_versions(file["fileId"]) == [only["versionId"]]
    url = client.get(f"/files/{file['fileId']}/download-url", headers=owner.headers).json()
    assert f"versionId={only['versionId']}" in url["downloadUrl"]


def test_a_version_of_another_type_is_rejected_as_type_mismatch(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    body = {"contentType": "image/png", "size": 5}
    assert client.post(f"/files/{file['fileId']}/versions", json=body, headers=owner.headers)
    land(file["fileId"], b"<svg>", "image/svg+xml")
    response = client.post(f"/files/{file['fileId']}/complete", headers=owner.headers)
    assert response.status_code == 409 and "type_mismatch" in response.json()["detail"]
    assert usage(client, owner) == {"files": 1, "bytes": 5}
    assert len(stored_versions(file["fileId"])) == 1


def test_a_new_declaration_replaces_an_unfinished_one_and_its_reservation(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    path = f"/files/{file['fileId']}/versions"
    assert client.post(path, json={"contentType": "text/plain", "size": 100}, headers=owner.headers)
    again = client.post(path, json={"contentType": "text/plain", "size": 7}, headers=owner.headers)
    assert again.status_code == 201
    assert usage(client, owner)["bytes"] == 5 + 7
    land(file["fileId"], b"seven!!")
    done = client.post(f"/files/{file['fileId']}/complete", headers=owner.headers)
    assert done.status_code == 200 and done.json()["size"] == 7
    assert usage(client, owner) == {"files": 1, "bytes": 12}


def test_only_an_available_file_takes_a_new_version(client: TestClient, owner: ApiUser) -> None:
    body = {"fileName": "a.txt", "contentType": "text/plain", "size": 5}
    pending = client.post("/files/upload-url", json=body, headers=owner.headers).json()
    response = client.post(
        f"/files/{pending['fileId']}/versions",
        json={"contentType": "text/plain", "size": 5},
        headers=owner.headers,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "file_not_available"


def test_over_the_single_upload_limit_is_413_and_reserves_nothing(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    body = {"contentType": "video/mp4", "size": 6 * 1024**3}
    response = client.post(f"/files/{file['fileId']}/versions", json=body, headers=owner.headers)
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    assert usage(client, owner)["bytes"] == 5


def _start_multipart(client: TestClient, owner: ApiUser, file_id: str, size: int) -> dict[str, Any]:
    body = {"contentType": "application/octet-stream", "size": size}
    response = client.post(f"/files/{file_id}/versions/multipart", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_multipart_new_version_resumes_completes_and_becomes_current(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    size = 5 * MIB + 3
    ticket = _start_multipart(client, owner, file["fileId"], size)
    assert (ticket["fileId"], ticket["partSize"]) == (file["fileId"], 5 * MIB)
    assert [p["partNumber"] for p in ticket["parts"]] == [1, 2]
    assert usage(client, owner)["bytes"] == 5 + size
    first = put_part(file["fileId"], ticket["uploadId"], 1, b"a" * 5 * MIB)

    resume = client.get(f"/files/{file['fileId']}/multipart", headers=owner.headers)
    assert resume.status_code == 200, resume.text
    assert [p["partNumber"] for p in resume.json()["uploadedParts"]] == [1]
    assert [p["partNumber"] for p in resume.json()["parts"]] == [2]
    second = put_part(file["fileId"], ticket["uploadId"], 2, b"bcd")
    parts = [{"partNumber": 1, "etag": first}, {"partNumber": 2, "etag": second}]
    done = client.post(
        f"/files/{file['fileId']}/multipart/complete",
        json={"parts": parts},
        headers=owner.headers,
    )

    assert done.status_code == 200, done.text
    assert (done.json()["size"], done.json()["versionCount"]) == (size, 2)
    assert usage(client, owner) == {"files": 1, "bytes": 5 + size}
    gone = client.get(f"/files/{file['fileId']}/multipart", headers=owner.headers)
    assert gone.status_code == 409 and gone.json()["code"] == "not_multipart"


def test_aborting_a_multipart_new_version_frees_its_bytes_and_keeps_the_file(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    _start_multipart(client, owner, file["fileId"], 6 * MIB)
    response = client.delete(f"/files/{file['fileId']}/multipart", headers=owner.headers)
    assert response.status_code == 204
    assert usage(client, owner) == {"files": 1, "bytes": 5}
    assert client.get(f"/files/{file['fileId']}", headers=owner.headers).json() == file


def test_a_new_version_whose_completion_answer_was_lost_is_current_once_asked_again(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    ticket = _start_multipart(client, owner, file["fileId"], 5 * MIB)
    etag = put_part(file["fileId"], ticket["uploadId"], 1, b"a" * 5 * MIB)
    path, body = (
        f"/files/{file['fileId']}/multipart/complete",
        {"parts": [{"partNumber": 1, "etag": etag}]},
    )
    with inject("s3", "lose", "CompleteMultipartUpload"):  # S3 completes, the answer is lost
        lost = client.post(path, json=body, headers=owner.headers)
    assert lost.status_code == 503, lost.text

    with inject("s3", "gone", "CompleteMultipartUpload"):  # as S3 answers a completed upload
        again = client.post(path, json=body, headers=owner.headers)
    assert again.status_code == 200, again.text
    assert (again.json()["size"], again.json()["versionCount"]) == (5 * MIB, 2)
    assert usage(client, owner) == {"files": 1, "bytes": 5 + 5 * MIB}


def test_a_new_versions_completion_s3_no_longer_knows_with_nothing_landed_is_not_multipart(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    _start_multipart(client, owner, file["fileId"], 5 * MIB)
    path, body = (
        f"/files/{file['fileId']}/multipart/complete",
        {"parts": [{"partNumber": 1, "etag": '"0a"'}]},
    )
    with inject("s3", "gone", "CompleteMultipartUpload"):  # as S3 answers an aborted upload
        response = client.post(path, json=body, headers=owner.headers)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "not_multipart"
    assert client.get(f"/files/{file['fileId']}", headers=owner.headers).json() == file


def test_a_landed_version_not_yet_verified_is_settled_before_another_is_declared(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    path = f"/files/{file['fileId']}/versions"
    assert client.post(path, json={"contentType": "text/plain", "size": 3}, headers=owner.headers)
    land(file["fileId"], b"two")  # landed; neither the worker nor /complete has seen it yet

    again = client.post(path, json={"contentType": "text/plain", "size": 5}, headers=owner.headers)

    assert again.status_code == 201
    assert [v["size"] for v in versions_of(client, owner, file["fileId"])] == [3, 5]
    assert usage(client, owner) == {"files": 1, "bytes": 5 + 3 + 5}
