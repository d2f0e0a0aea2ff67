"""Single uploads: the presigned POST policy, verification, rejection, and the quota."""

import base64
import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from app.files import storage
from app.settings import get_settings
from tests.conftest import ApiUser
from tests.files.conftest import Declare, land, object_exists


def _usage(client: TestClient, user: ApiUser) -> dict[str, int]:
    me = client.get("/users/me", headers=user.headers)
    assert me.status_code == 200
    return me.json()["usage"]


def test_upload_url_policy_pins_key_type_exact_length_and_expiry(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    ticket = declare(user, name="report final.pdf", content_type="application/pdf", size=1234)
    fields = ticket["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    key = f"uploads/{ticket['fileId']}"
    assert fields["key"] == key and "report" not in key
    assert fields["Content-Type"] == "application/pdf"
    assert {"key": key} in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    assert ["content-length-range", 1234, 1234] in policy["conditions"]
    assert {"bucket": get_settings().bucket_name} in policy["conditions"]
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    remaining = (expires - datetime.now(UTC)).total_seconds()
    assert 0 < remaining <= get_settings().upload_url_ttl_seconds
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert ticket["upload"]["method"] == "POST"
    assert ticket["upload"]["expiresIn"] == get_settings().upload_url_ttl_seconds
    assert ticket["file"]["status"] == "pending" and ticket["file"]["size"] == 1234


def test_declared_bytes_count_until_the_upload_is_verified(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    ticket = declare(user, size=5)
    assert _usage(client, user) == {"files": 0, "bytes": 5}
    land(ticket["fileId"], b"hello")
    done = client.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert done.status_code == 200
    assert done.json()["status"] == "available" and done.json()["uploadedAt"]
    assert _usage(client, user) == {"files": 1, "bytes": 5}
    again = client.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert again.status_code == 200 and again.json() == done.json()
    assert _usage(client, user) == {"files": 1, "bytes": 5}


def test_complete_before_the_object_lands_is_upload_missing(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    ticket = declare(user)
    response = client.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert response.status_code == 409
    assert response.json()["code"] == "upload_missing"


def test_a_body_larger_than_declared_is_rejected_and_frees_its_quota(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    ticket = declare(user, size=3)
    land(ticket["fileId"], b"much more than three bytes")
    response = client.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["rejectionReason"] == "size_mismatch"
    assert not object_exists(storage.object_key(ticket["fileId"]))
    assert _usage(client, user) == {"files": 0, "bytes": 0}


def test_bytes_posted_again_after_a_rejection_do_not_stay(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    ticket = declare(user, size=3)
    land(ticket["fileId"], b"too long")
    first = client.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    land(ticket["fileId"], b"abc")  # the form stays valid until it expires
    again = client.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert again.status_code == 200 and again.json() == first.json()
    assert again.json()["status"] == "rejected"
    assert not object_exists(storage.object_key(ticket["fileId"]))


def test_a_different_content_type_is_rejected(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    ticket = declare(user, content_type="image/png", size=5)
    land(ticket["fileId"], b"hello", content_type="text/html")
    response = client.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert response.json()["status"] == "rejected"
    assert response.json()["rejectionReason"] == "type_mismatch"


def test_over_the_single_upload_limit_is_413(client: TestClient, user: ApiUser) -> None:
    body = {"fileName": "big.iso", "contentType": "application/octet-stream", "size": 6 * 1024**3}
    response = client.post("/files/upload-url", json=body, headers=user.headers)
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"
    assert _usage(client, user) == {"files": 0, "bytes": 0}


def test_a_declaration_over_the_quota_is_403(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    for _ in range(2):
        declare(user, content_type="video/mp4", size=4 * 1024**3)
    body = {"fileName": "third.mp4", "contentType": "video/mp4", "size": 4 * 1024**3}
    response = client.post("/files/upload-url", json=body, headers=user.headers)
    assert response.status_code == 403
    assert response.json()["code"] == "quota_exceeded"
    assert _usage(client, user)["bytes"] == 8 * 1024**3
    listed = client.get("/files", headers=user.headers).json()["items"]
    assert len(listed) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("fileName", ""),
        ("fileName", "   "),
        ("fileName", "a/b.txt"),
        ("fileName", "a\\b.txt"),
        ("fileName", "bell\x07.txt"),
        ("fileName", "line\nbreak"),
        ("fileName", "."),
        ("fileName", ".."),
        ("fileName", "x" * 256),
        ("contentType", "text"),
        ("contentType", "text/"),
        ("contentType", "/plain"),
        ("contentType", "text/plain/extra"),
        ("contentType", "te xt/plain"),
        ("contentType", "a/" + "b" * 300),
        ("size", -1),
        ("size", 10**16),
        ("size", "12"),
        ("size", 1.5),
    ],
)
def test_bad_declarations_are_422_and_write_nothing(
    client: TestClient, user: ApiUser, field: str, value: object
) -> None:
    body = {"fileName": "ok.txt", "contentType": "text/plain", "size": 5, field: value}
    response = client.post("/files/upload-url", json=body, headers=user.headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "validation_error"
    assert client.get("/files", headers=user.headers).json()["items"] == []
    assert _usage(client, user) == {"files": 0, "bytes": 0}


def test_names_are_trimmed_and_media_type_parameters_allowed(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    ticket = declare(user, name="  café ☕.txt ", content_type="text/plain; charset=utf-8")
    assert ticket["file"]["fileName"] == "café ☕.txt"
    assert ticket["upload"]["fields"]["Content-Type"] == "text/plain; charset=utf-8"


def test_an_empty_file_is_fine(client: TestClient, user: ApiUser, declare: Declare) -> None:
    ticket = declare(user, size=0)
    land(ticket["fileId"], b"")
    response = client.post(f"/files/{ticket['fileId']}/complete", headers=user.headers)
    assert response.status_code == 200 and response.json()["status"] == "available"
