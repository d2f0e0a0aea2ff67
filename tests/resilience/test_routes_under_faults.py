"""Every route family answers an AWS failure with a quick, honest 503 (or absorbs a blip)."""

import logging
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, TIGHT, ApiUser
from tests.faults import Kind, inject
from tests.files.conftest import land

pytestmark = pytest.mark.usefixtures("tight_budget")  # tests/conftest.py


def assert_honest_503(response: object, retry_after: str = "7") -> None:
    assert response.status_code == 503, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    assert response.headers["retry-after"] == retry_after  # type: ignore[attr-defined]
    assert response.headers["x-request-id"]  # type: ignore[attr-defined]
    assert response.json()["code"] == "service_unavailable"  # type: ignore[attr-defined]


def declare(client: TestClient, owner: ApiUser, size: int) -> str:
    """A pending upload of `size` bytes through the API (no fault): its file id."""
    body = {"fileName": "notes.txt", "contentType": "text/plain", "size": size}
    response = client.post("/files/upload-url", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["fileId"])


def test_a_silent_table_is_a_503_within_the_request_budget(
    client: TestClient, user: ApiUser, caplog: pytest.LogCaptureFixture
) -> None:
    with inject("dynamodb", "hang") as fault, caplog.at_level(logging.WARNING, "sharebox"):
        started = time.monotonic()
        response = client.get("/files", headers=user.headers)
        took = time.monotonic() - started
    assert_honest_503(response)
    assert took < float(TIGHT["AWS_REQUEST_BUDGET_SECONDS"]) + 0.5  # the budget, plus the answer
    assert fault.attempts >= 2  # retried while the budget allowed another whole attempt
    lines = [r for r in caplog.records if r.getMessage().startswith("dependency failed")]
    assert len(lines) == 1
    assert "dynamodb." in lines[0].getMessage()


@pytest.mark.parametrize("kind", ["refuse", "fail", "throttle"])
def test_a_table_that_keeps_failing_is_a_503_with_retry_after(
    client: TestClient, user: ApiUser, kind: Kind
) -> None:
    with inject("dynamodb", kind) as fault:
        response = client.get("/users/me", headers=user.headers)
    assert_honest_503(response)
    # Retried, but never past the policy's 3 attempts (or the budget, if the backoff was long).
    assert 2 <= fault.attempts <= 3


@pytest.mark.parametrize(
    ("service", "operation", "call"),
    [
        ("dynamodb", "Query", lambda c, u: c.get("/files", headers=u.headers)),
        ("cognito-idp", "InitiateAuth", lambda c, u: c.post("/auth/login", json=u.login)),
    ],
)
def test_one_throttled_attempt_is_retried_and_the_request_succeeds(
    client: TestClient,
    user: ApiUser,
    service: str,
    operation: str,
    call: Callable[[TestClient, ApiUser], object],
) -> None:
    user.login = {"email": user.email, "password": PASSWORD}  # type: ignore[attr-defined]
    with inject(service, "throttle", operation, times=1) as fault:
        response = call(client, user)
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert fault.attempts == 1


def test_a_throttled_store_on_complete_is_a_503_and_the_upload_stays_pending(
    client: TestClient, user: ApiUser
) -> None:
    file_id = declare(client, user, 3)
    with inject("s3", "throttle", "HeadObject"):
        response = client.post(f"/files/{file_id}/complete", headers=user.headers)
    assert_honest_503(response)
    again = client.get(f"/files/{file_id}", headers=user.headers)
    assert again.json()["status"] == "pending"


def test_cognito_throttling_past_the_retries_is_a_503(client: TestClient, user: ApiUser) -> None:
    login = {"email": user.email, "password": PASSWORD}
    with inject("cognito-idp", "throttle", "InitiateAuth"):
        assert_honest_503(client.post("/auth/login", json=login))


def test_a_silent_user_directory_is_a_503_for_sign_up(client: TestClient) -> None:
    with inject("cognito-idp", "hang", "SignUp"):
        response = client.post(
            "/auth/signup", json={"email": "silent@example.com", "password": PASSWORD}
        )
    assert_honest_503(response)


def test_a_public_link_answers_503_when_the_table_is_gone(client: TestClient) -> None:
    with inject("dynamodb", "refuse"):
        response = client.get("/links/" + "a" * 32)
    assert_honest_503(response)


def test_health_never_touches_aws(client: TestClient) -> None:
    with inject("dynamodb", "hang") as table, inject("s3", "hang") as store:
        started = time.monotonic()
        response = client.get("/health")
        assert time.monotonic() - started < 0.3
    assert response.status_code == 200
    assert table.attempts == store.attempts == 0


def test_a_throttled_store_is_retried_and_complete_succeeds(
    client: TestClient, user: ApiUser
) -> None:
    file_id = declare(client, user, 3)
    land(file_id, b"abc")
    with inject("s3", "throttle", "HeadObject", times=1) as fault:
        response = client.post(f"/files/{file_id}/complete", headers=user.headers)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "available" and fault.attempts == 1


def test_sharing_answers_503_when_the_table_fails(
    client: TestClient, make_user: Callable[..., ApiUser]
) -> None:
    owner, friend = make_user("owner"), make_user("friend")
    file_id = declare(client, owner, 1)
    with inject("dynamodb", "fail", "PutItem"), inject("dynamodb", "fail", "TransactWriteItems"):
        response = client.post(
            f"/files/{file_id}/share",
            json={"shareWithUserId": friend.user_id},
            headers=owner.headers,
        )
    assert_honest_503(response)


def test_a_multipart_start_with_the_store_gone_is_a_503_and_reserves_nothing(
    client: TestClient, user: ApiUser
) -> None:
    before = client.get("/users/me", headers=user.headers).json()["usage"]
    with inject("s3", "refuse", "CreateMultipartUpload"):
        response = client.post(
            "/files/multipart",
            json={
                "fileName": "big.bin",
                "contentType": "application/octet-stream",
                "size": 6 << 20,
            },
            headers=user.headers,
        )
    assert_honest_503(response)
    assert client.get("/users/me", headers=user.headers).json()["usage"] == before
