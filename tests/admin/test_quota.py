"""A per-user quota set by an administrator holds wherever the quota does: new uploads, new
versions, a late upload's verification, and the user's own account page."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.files import service
from app.files.errors import QuotaExceeded
from app.files.schemas import FileCreate
from tests.conftest import ApiUser
from tests.files.conftest import Uploaded, land

GIB = 1024**3


def set_quota(client: TestClient, admin: ApiUser, person: ApiUser, quota: int | None) -> Any:
    response = client.patch(
        f"/admin/users/{person.user_id}", json={"quotaBytes": quota}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def upload_url(client: TestClient, person: ApiUser, size: int) -> Any:
    body = {"fileName": "f.bin", "contentType": "application/octet-stream", "size": size}
    return client.post("/files/upload-url", json=body, headers=person.headers)


def test_uploads_are_refused_past_the_quota_an_administrator_set(
    client: TestClient, admin: ApiUser, member: ApiUser
) -> None:
    answer = set_quota(client, admin, member, 10)
    assert answer["quota"] == {"bytes": 10, "custom": True}
    assert client.get("/users/me", headers=member.headers).json()["quota"] == {"bytes": 10}

    too_big = upload_url(client, member, 11)
    assert too_big.status_code == 403
    assert too_big.json()["code"] == "quota_exceeded"
    assert upload_url(client, member, 7).status_code == 201
    refused = upload_url(client, member, 4)  # 7 held + 4 > 10
    assert (refused.status_code, refused.json()["code"]) == (403, "quota_exceeded")
    assert upload_url(client, member, 3).status_code == 201


def test_a_quota_above_the_default_lets_more_in_and_null_restores_the_default(
    client: TestClient, admin: ApiUser, member: ApiUser
) -> None:
    big = FileCreate(file_name="big.bin", content_type="application/octet-stream", size=15 * GIB)
    with pytest.raises(QuotaExceeded):
        service.open_pending(member.user_id, big, timedelta(minutes=5))

    set_quota(client, admin, member, 20 * GIB)
    assert service.open_pending(member.user_id, big, timedelta(minutes=5)).size == 15 * GIB

    answer = set_quota(client, admin, member, None)
    assert answer["quota"] == {"bytes": 10 * GIB, "custom": False}
    assert client.get("/users/me", headers=member.headers).json()["quota"] == {"bytes": 10 * GIB}
    assert upload_url(client, member, 1).status_code == 403  # 15 GiB are held, over 10 GiB


def test_a_new_version_must_fit_the_users_own_quota(
    client: TestClient, admin: ApiUser, member: ApiUser, uploaded: Uploaded
) -> None:
    file = uploaded(member, data=b"123456")
    set_quota(client, admin, member, 10)
    body = {"contentType": "text/plain", "size": 6}
    response = client.post(f"/files/{file['fileId']}/versions", json=body, headers=member.headers)
    assert (response.status_code, response.json()["code"]) == (403, "quota_exceeded")
    body["size"] = 4
    assert (
        client.post(
            f"/files/{file['fileId']}/versions", json=body, headers=member.headers
        ).status_code
        == 201
    )


def test_a_late_upload_whose_hold_expired_is_judged_against_the_users_own_quota(
    client: TestClient, admin: ApiUser, member: ApiUser
) -> None:
    set_quota(client, admin, member, 10)
    late = service.open_pending(
        member.user_id,
        FileCreate(file_name="late.bin", content_type="application/octet-stream", size=8),
        timedelta(seconds=-1),  # its window closed at once: the next sweep gives back its hold
    )
    assert client.get("/users/me", headers=member.headers).json()["usage"]["bytes"] == 0
    assert upload_url(client, member, 5).status_code == 201  # 5 held now
    land(late.file_id, b"12345678", content_type="application/octet-stream")

    verified = service.verify_upload(late.file_id)

    assert verified is not None
    assert (verified.status, verified.rejection_reason) == ("rejected", "quota_exceeded")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"quotaBytes": -1},
        {"quotaBytes": 2**50 + 1},
        {"quotaBytes": 1.5},
        {"quotaBytes": "10"},
        {"quotaBytes": True},
        {"disabled": None},
        {"disabled": "yes"},
        {"quota": 10},
    ],
)
def test_a_change_that_is_not_a_quota_in_range_or_a_boolean_is_422(
    client: TestClient, admin: ApiUser, member: ApiUser, body: dict[str, Any]
) -> None:
    response = client.patch(f"/admin/users/{member.user_id}", json=body, headers=admin.headers)
    assert response.status_code == 422, body
    assert response.headers["content-type"] == "application/problem+json"


def test_the_largest_quota_is_a_pebibyte_and_zero_allows_nothing(
    client: TestClient, admin: ApiUser, member: ApiUser
) -> None:
    assert set_quota(client, admin, member, 2**50)["quota"]["bytes"] == 2**50
    set_quota(client, admin, member, 0)
    assert upload_url(client, member, 1).status_code == 403
