"""S3's CompleteMultipartUpload may take long: one attempt that waits for it, and asking again
after an unsure outcome completes the file rather than losing it."""

import logging
import time

import pytest
from fastapi.testclient import TestClient

from app.aws import client as aws_client
from app.files import storage
from app.settings import get_settings
from tests.conftest import TIGHT, ApiUser, reload_settings
from tests.faults import inject
from tests.files.conftest import put_part, start_multipart
from tests.resilience.test_routes_under_faults import assert_honest_503

pytestmark = pytest.mark.usefixtures("tight_budget")  # tests/conftest.py

MIB = 1024**2
CONNECT = float(TIGHT["AWS_CONNECT_TIMEOUT_SECONDS"])
READ = float(TIGHT["AWS_READ_TIMEOUT_SECONDS"])
COMPLETE_READ = float(TIGHT["AWS_COMPLETE_READ_TIMEOUT_SECONDS"])


def uploaded_parts(client: TestClient, owner: ApiUser) -> tuple[dict[str, str], dict[str, object]]:
    """A 5 MiB multipart upload whose one part landed: its ticket, and the completion's body."""
    ticket = start_multipart(client, owner, 5 * MIB)
    etag = put_part(ticket["fileId"], ticket["uploadId"], 1, b"a" * 5 * MIB)
    return ticket, {"parts": [{"partNumber": 1, "etag": etag}]}


def complete(client: TestClient, owner: ApiUser, file_id: str, body: dict[str, object]) -> object:
    path = f"/files/{file_id}/multipart/complete"
    return client.post(path, json=body, headers=owner.headers)


def still_open(ticket: dict[str, str]) -> bool:
    uploads = aws_client("s3").list_multipart_uploads(Bucket=get_settings().bucket_name)
    return ticket["uploadId"] in {u["UploadId"] for u in uploads.get("Uploads", [])}


def test_a_completion_slower_than_the_read_timeout_succeeds_in_one_attempt(
    client: TestClient, user: ApiUser
) -> None:
    ticket, body = uploaded_parts(client, user)
    seconds = (READ + COMPLETE_READ) / 2
    with inject("s3", "slow", "CompleteMultipartUpload", seconds=seconds) as fault:
        response = complete(client, user, ticket["fileId"], body)
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert response.json()["status"] == "available"  # type: ignore[attr-defined]
    assert fault.attempts == 1


def test_a_completion_whose_answer_is_lost_completes_when_asked_again(
    client: TestClient, user: ApiUser
) -> None:
    ticket, body = uploaded_parts(client, user)
    with inject("s3", "lose", "CompleteMultipartUpload") as fault:
        lost = complete(client, user, ticket["fileId"], body)
    assert_honest_503(lost)
    assert fault.attempts == 1  # not retried: a retry would only find the upload gone
    assert not still_open(ticket)  # S3 completed it all the same

    with inject("s3", "gone", "CompleteMultipartUpload"):  # as S3 answers a completed upload
        again = complete(client, user, ticket["fileId"], body)
    assert again.status_code == 200, again.text  # type: ignore[attr-defined]
    assert again.json()["status"] == "available"  # type: ignore[attr-defined]
    assert again.json()["size"] == 5 * MIB  # type: ignore[attr-defined]
    me = client.get("/users/me", headers=user.headers).json()
    assert me["usage"] == {"files": 1, "bytes": 5 * MIB}


def test_a_completion_s3_no_longer_knows_with_nothing_landed_is_not_multipart(
    client: TestClient, user: ApiUser
) -> None:
    ticket, body = uploaded_parts(client, user)
    aws_client("s3").abort_multipart_upload(
        Bucket=get_settings().bucket_name,
        Key=storage.object_key(ticket["fileId"]),
        UploadId=ticket["uploadId"],
    )
    with inject("s3", "gone", "CompleteMultipartUpload"):  # as S3 answers an aborted upload
        response = complete(client, user, ticket["fileId"], body)
    assert response.status_code == 409, response.text  # type: ignore[attr-defined]
    assert response.json()["code"] == "not_multipart"  # type: ignore[attr-defined]
    file = client.get(f"/files/{ticket['fileId']}", headers=user.headers).json()
    assert file["status"] == "pending"


def test_a_completion_that_could_outlast_the_request_deadline_is_not_started(
    client: TestClient,
    user: ApiUser,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ticket, body = uploaded_parts(client, user)
    budget = CONNECT + (READ + COMPLETE_READ) / 2  # room for any other call, not for this one
    monkeypatch.setenv("AWS_REQUEST_BUDGET_SECONDS", str(budget))
    reload_settings()
    with caplog.at_level(logging.WARNING, "sharebox"):
        started = time.monotonic()
        response = complete(client, user, ticket["fileId"], body)
        took = time.monotonic() - started
    assert_honest_503(response)
    assert took < budget  # refused, not waited for
    # The budget refused the attempt. (In-process moto answers from a `before-send` handler
    # that runs before the budget's, so S3's state would not show it; on AWS nothing is sent.)
    lines = [r.getMessage() for r in caplog.records if "dependency failed" in r.getMessage()]
    assert lines == ["dependency failed: s3.CompleteMultipartUpload (BudgetExhausted)"]

    monkeypatch.setenv("AWS_REQUEST_BUDGET_SECONDS", TIGHT["AWS_REQUEST_BUDGET_SECONDS"])
    reload_settings()
    done = complete(client, user, ticket["fileId"], body)
    assert done.status_code == 200, done.text  # type: ignore[attr-defined]
