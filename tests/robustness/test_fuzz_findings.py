"""Failures schemathesis found (`make fuzz`), kept as plain regression tests."""

from fastapi.testclient import TestClient

from tests.conftest import ApiUser


def test_a_control_character_in_a_part_etag_is_422_not_a_file_store_failure(
    client: TestClient, user: ApiUser
) -> None:
    created = client.post(
        "/files/upload-url",
        headers=user.headers,
        json={"fileName": "a.bin", "contentType": "application/octet-stream", "size": 10},
    )
    assert created.status_code == 201, created.text
    response = client.post(
        f"/files/{created.json()['fileId']}/multipart/complete",
        headers=user.headers,
        json={"parts": [{"partNumber": 30, "etag": "~\x1f"}]},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
