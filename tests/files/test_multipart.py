"""Multipart uploads against moto in-process: sizes, abort, bad parts, verification."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.aws import client as aws_client
from app.files.multipart import part_count, part_size_for
from app.settings import get_settings
from tests.conftest import ApiUser
from tests.files.conftest import Declare, put_part, start_multipart

MIB, GIB, TIB = 1024**2, 1024**3, 1024**4


def _usage(client: TestClient, user: ApiUser) -> dict[str, int]:
    return client.get("/users/me", headers=user.headers).json()["usage"]


@pytest.mark.parametrize("size", [5 * MIB, 11 * MIB, 50 * GIB, 5 * TIB])
def test_part_size_keeps_every_upload_within_10000_parts(size: int) -> None:
    part = part_size_for(size)
    assert part >= 5 * MIB and part % MIB == 0
    assert part_count(size, part) <= 10_000
    assert part_count(size, part - MIB) > 10_000 or part == 5 * MIB


def test_a_terabyte_upload_gets_its_first_batch_of_part_urls(
    client: TestClient, user: ApiUser
) -> None:
    ticket = start_multipart(client, user, 5 * GIB + 1)
    assert ticket["partSize"] == 5 * MIB
    assert [p["partNumber"] for p in ticket["parts"]][:3] == [1, 2, 3]
    assert len(ticket["parts"]) == 500  # the rest come from GET .../multipart
    assert _usage(client, user) == {"files": 0, "bytes": 5 * GIB + 1}


def test_multipart_below_5_mib_is_422(client: TestClient, user: ApiUser) -> None:
    body = {"fileName": "small.bin", "contentType": "application/octet-stream", "size": MIB}
    response = client.post("/files/multipart", json=body, headers=user.headers)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_multipart_over_the_quota_is_403(client: TestClient, user: ApiUser) -> None:
    body = {"fileName": "huge.bin", "contentType": "application/octet-stream", "size": 11 * GIB}
    response = client.post("/files/multipart", json=body, headers=user.headers)
    assert response.status_code == 403
    assert response.json()["code"] == "quota_exceeded"
    assert client.get("/files", headers=user.headers).json()["items"] == []


def test_abort_frees_the_quota_and_forgets_the_file(client: TestClient, user: ApiUser) -> None:
    ticket = start_multipart(client, user, 6 * MIB)
    put_part(ticket["fileId"], ticket["uploadId"], 1, b"x" * 5 * MIB)
    response = client.delete(f"/files/{ticket['fileId']}/multipart", headers=user.headers)
    assert response.status_code == 204
    assert _usage(client, user) == {"files": 0, "bytes": 0}
    assert client.get(f"/files/{ticket['fileId']}", headers=user.headers).status_code == 404
    uploads = aws_client("s3").list_multipart_uploads(Bucket=get_settings().bucket_name)
    assert ticket["uploadId"] not in {u["UploadId"] for u in uploads.get("Uploads", [])}


def test_wrong_or_unordered_parts_are_invalid_parts(client: TestClient, user: ApiUser) -> None:
    ticket = start_multipart(client, user, 6 * MIB)
    first = put_part(ticket["fileId"], ticket["uploadId"], 1, b"a" * 5 * MIB)
    second = put_part(ticket["fileId"], ticket["uploadId"], 2, b"b" * MIB)
    path = f"/files/{ticket['fileId']}/multipart/complete"
    for parts in (
        [{"partNumber": 1, "etag": first}, {"partNumber": 2, "etag": '"0123abcd"'}],
        [{"partNumber": 2, "etag": second}, {"partNumber": 1, "etag": first}],
        [{"partNumber": 1, "etag": first}, {"partNumber": 1, "etag": first}],
    ):
        response = client.post(path, json={"parts": parts}, headers=user.headers)
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "invalid_parts"
    empty = client.post(path, json={"parts": []}, headers=user.headers)
    assert empty.status_code == 422
    parts = [{"partNumber": 1, "etag": first}, {"partNumber": 2, "etag": second}]
    done = client.post(path, json={"parts": parts}, headers=user.headers)
    assert done.status_code == 200 and done.json()["status"] == "available"


def test_parts_adding_up_to_another_size_are_rejected(client: TestClient, user: ApiUser) -> None:
    ticket = start_multipart(client, user, 6 * MIB)
    parts = [
        {
            "partNumber": 1,
            "etag": put_part(ticket["fileId"], ticket["uploadId"], 1, b"a" * 5 * MIB),
        },
        {
            "partNumber": 2,
            "etag": put_part(ticket["fileId"], ticket["uploadId"], 2, b"b" * 2 * MIB),
        },
    ]
    path = f"/files/{ticket['fileId']}/multipart/complete"
    done = client.post(path, json={"parts": parts}, headers=user.headers)
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["rejectionReason"]) == ("rejected", "size_mismatch")
    assert _usage(client, user) == {"files": 0, "bytes": 0}
    again = client.post(path, json={"parts": parts}, headers=user.headers)
    assert again.status_code == 409 and again.json()["code"] == "not_multipart"


def test_a_single_upload_is_not_multipart(
    client: TestClient, user: ApiUser, declare: Declare
) -> None:
    ticket = declare(user)
    for method in ("GET", "DELETE"):
        response = client.request(
            method, f"/files/{ticket['fileId']}/multipart", headers=user.headers
        )
        assert response.status_code == 409
        assert response.json()["code"] == "not_multipart"


def _signed_lengths(call: Any) -> tuple[Any, list[int]]:
    """What `call` answered, and the Content-Length each UploadPart URL it made was signed for."""
    lengths: list[int] = []

    def capture(request: Any, **_: Any) -> None:
        lengths.append(int(request.headers["Content-Length"]))

    events = aws_client("s3").meta.events
    events.register("before-sign.s3.UploadPart", capture)
    try:
        return call(), lengths
    finally:
        events.unregister("before-sign.s3.UploadPart", capture)


def test_each_part_url_signs_the_length_of_its_part(client: TestClient, user: ApiUser) -> None:
    size = 12 * MIB + 3
    ticket, lengths = _signed_lengths(lambda: start_multipart(client, user, size))

    assert lengths == [5 * MIB, 5 * MIB, 2 * MIB + 3]  # the last part holds the rest
    for part in ticket["parts"]:
        signed = parse_qs(urlsplit(part["url"]).query)["X-Amz-SignedHeaders"][0].split(";")
        assert "content-length" in signed

    put_part(ticket["fileId"], ticket["uploadId"], 1, b"a" * 5 * MIB)
    path = f"/files/{ticket['fileId']}/multipart"
    resumed, lengths = _signed_lengths(lambda: client.get(path, headers=user.headers))
    assert [p["partNumber"] for p in resumed.json()["parts"]] == [2, 3]
    assert lengths == [5 * MIB, 2 * MIB + 3]
