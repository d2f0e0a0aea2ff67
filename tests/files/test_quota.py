"""Quota and status transitions, mostly without HTTP: races, expiry, re-verification."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from fastapi.testclient import TestClient

from app.aws import client as aws_client
from app.files import repository, service, transitions
from app.files.schemas import File, FileCreate
from app.settings import get_settings
from app.users import repository as users
from tests.conftest import ApiUser
from tests.files.conftest import land

GIB = 1024**3


def _usage(user_id: str) -> tuple[int, int]:
    profile = users.get_profile(user_id)
    assert profile is not None
    return profile.used_bytes, profile.file_count


def _declaration(size: int, name: str = "x.bin") -> FileCreate:
    return FileCreate(file_name=name, content_type="application/octet-stream", size=size)


def test_parallel_upload_url_requests_cannot_exceed_the_quota(
    client: TestClient, user: ApiUser, atomic_dynamodb: None
) -> None:
    body = {"fileName": "part.bin", "contentType": "application/octet-stream", "size": 3 * GIB}

    def ask(_: int) -> int:
        return client.post("/files/upload-url", json=body, headers=user.headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(ask, range(8)))
    assert sorted(statuses) == [201] * 3 + [403] * 5  # 3 x 3 GiB fit in 10 GiB, a 4th does not
    assert _usage(user.user_id) == (9 * GIB, 0)
    assert len(client.get("/files", headers=user.headers).json()["items"]) == 3


def test_racing_verifications_mark_a_file_once(user: ApiUser, atomic_dynamodb: None) -> None:
    record = service.open_pending(user.user_id, _declaration(4), timedelta(minutes=5))
    land(record.file_id, b"abcd", content_type="application/octet-stream")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: service.verify_upload(record.file_id), range(4)))
    assert {r.status for r in results if r} == {"available"}
    assert _usage(user.user_id) == (4, 1)


def test_an_expired_pending_upload_frees_its_quota_and_leaves_the_list(
    client: TestClient, user: ApiUser
) -> None:
    record = service.open_pending(user.user_id, _declaration(7 * GIB), timedelta(seconds=-1))
    assert _usage(user.user_id) == (7 * GIB, 0)
    me = client.get("/users/me", headers=user.headers)
    assert me.status_code == 200, me.text
    assert me.json()["usage"] == {"files": 0, "bytes": 0}
    assert client.get("/files", headers=user.headers).json()["items"] == []
    assert transitions.expired_markers(user.user_id, "9999") == []
    assert repository.get_file(record.file_id).reserved is False  # type: ignore[union-attr]


def test_an_object_landing_after_expiry_is_counted_again_if_it_fits(user: ApiUser) -> None:
    record = service.open_pending(user.user_id, _declaration(4), timedelta(seconds=-1))
    service.sweep_expired(user.user_id)
    land(record.file_id, b"late", content_type="application/octet-stream")
    verified = service.verify_upload(record.file_id)
    assert verified is not None and verified.status == "available"
    assert _usage(user.user_id) == (4, 1)


def test_an_object_landing_after_expiry_is_rejected_when_the_quota_is_full(
    user: ApiUser,
) -> None:
    record = service.open_pending(user.user_id, _declaration(4), timedelta(seconds=-1))
    service.sweep_expired(user.user_id)
    quota = get_settings().default_quota_bytes
    service.open_pending(user.user_id, _declaration(quota - 2), timedelta(minutes=5))
    land(record.file_id, b"late", content_type="application/octet-stream")
    verified = service.verify_upload(record.file_id)
    assert verified is not None
    assert (verified.status, verified.rejection_reason) == ("rejected", "quota_exceeded")
    assert _usage(user.user_id) == (quota - 2, 0)


def test_a_reservation_whose_file_item_expired_is_still_released(user: ApiUser) -> None:
    record = service.open_pending(user.user_id, _declaration(11), timedelta(seconds=-1))
    aws_client("dynamodb").delete_item(  # what DynamoDB's TTL does a day later
        TableName=get_settings().table_name,
        Key={"pk": {"S": f"FILE#{record.file_id}"}, "sk": {"S": "META"}},
    )
    service.sweep_expired(user.user_id)
    service.sweep_expired(user.user_id)
    assert _usage(user.user_id) == (0, 0)


def test_verify_of_an_unknown_file_is_none() -> None:
    assert service.verify_upload("0b7e7c1e-1c1e-4c1e-9c1e-000000000000") is None


def test_shared_with_me_is_set_for_viewers_other_than_the_owner(
    make_user: Callable[..., ApiUser],
) -> None:
    owner = make_user("owner")
    record = service.open_pending(owner.user_id, _declaration(1), timedelta(minutes=5))
    assert File.from_record(record, owner.user_id).shared_with_me is False
    assert File.from_record(record, "someone-else").shared_with_me is True
    assert repository.get_files([record.file_id, "missing", record.file_id]) == [record]


def test_rejecting_content_of_an_available_file_frees_it_once(user: ApiUser) -> None:
    record = service.open_pending(user.user_id, _declaration(4), timedelta(minutes=5))
    land(record.file_id, b"\x00\x01\x02\x03", content_type="application/octet-stream")
    assert service.verify_upload(record.file_id).status == "available"  # type: ignore[union-attr]
    assert _usage(user.user_id) == (4, 1)
    first = service.reject_content(record.file_id, "type_mismatch")
    second = service.reject_content(record.file_id, "type_mismatch")
    assert first == second
    assert first is not None
    assert (first.status, first.rejection_reason) == ("rejected", "type_mismatch")
    assert _usage(user.user_id) == (0, 0)
    assert service.verify_upload(record.file_id) == first
