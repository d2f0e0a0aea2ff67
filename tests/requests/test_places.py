"""A request's places, without HTTP: parallel sends never pass `maxFiles` nor the owner's
quota, and a place whose upload ends without a file (never landed, rejected, deleted) comes
back, in the same transaction as the file's own change."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from app import db
from app.access import requests as requests_repository
from app.access.requests import RequestRecord
from app.errors import AppError
from app.files import repository, service
from app.files.requested import UploadedBy
from app.files.schemas import FileCreate
from app.requests import uploads
from app.requests.schemas import RequestUpload
from app.users import repository as users
from tests.requests.conftest import FakeClock, land, store_request, stored


def sender(request: RequestRecord) -> UploadedBy:
    return UploadedBy(request_token=request.token, title=request.title, name="Ada")


def send(request: RequestRecord, clock: FakeClock, *, size: int = 5, n: int = 0) -> int:
    """The status one upload through the service answers (from an address of its own)."""
    body = RequestUpload(file_name=f"f{n}.txt", content_type="text/plain", size=size)
    try:
        uploads.start_upload(request.token, body, ip=f"192.0.2.{n % 250}", now=clock())
    except AppError as error:
        return error.status
    return 201


def race(request: RequestRecord, clock: FakeClock, senders: int, size: int = 5) -> list[int]:
    start = threading.Barrier(senders)

    def one(n: int) -> int:
        start.wait()
        return send(request, clock, size=size, n=n)

    with ThreadPoolExecutor(senders) as pool:
        return sorted(pool.map(one, range(senders)))


def used_bytes(owner_id: str) -> int:
    profile = users.get_profile(owner_id)
    return profile.used_bytes if profile else 0


def expired_upload(request: RequestRecord, size: int = 5) -> repository.FileRecord:
    """A file sent through the request whose upload window has already closed."""
    declared = FileCreate(
        file_name="late.txt", content_type="text/plain", size=size, folder_id=request.folder_id
    )
    return service.open_pending(
        request.owner_id, declared, timedelta(seconds=-1), uploaded_by=sender(request)
    )


def sent_image(request: RequestRecord, clock: FakeClock, landed_as: str) -> str:
    """A 5-byte `photo.png` sent through the request, landed with the type `landed_as`."""
    body = RequestUpload(file_name="photo.png", content_type="image/png", size=5)
    ticket = uploads.start_upload(request.token, body, ip=None, now=clock())
    land(ticket.file_id, b"12345", content_type=landed_as)
    return ticket.file_id


def test_twelve_parallel_sends_to_a_five_file_request_take_five_places(
    folder: dict[str, Any], clock: FakeClock, atomic_dynamodb: None
) -> None:
    request = store_request(folder, clock(), max_files=5)
    assert race(request, clock, 12) == [201] * 5 + [409] * 7
    assert stored(request.token).slots == 5
    assert used_bytes(request.owner_id) == 25


def test_parallel_sends_never_pass_the_owners_quota(
    folder: dict[str, Any], clock: FakeClock, small_quota: int, atomic_dynamodb: None
) -> None:
    request = store_request(folder, clock())
    assert race(request, clock, 8, size=5) == [201] * 4 + [403] * 4  # 4 x 5 bytes fill 20
    assert used_bytes(request.owner_id) == small_quota
    assert stored(request.token).slots == 4  # the refused ones took no place


def test_an_upload_that_never_lands_gives_its_place_back_when_its_form_expires(
    folder: dict[str, Any], clock: FakeClock
) -> None:
    request = store_request(folder, clock(), max_files=1)
    expired_upload(request)
    assert stored(request.token).slots == 1

    assert send(request, clock) == 201  # the full request sweeps the owner's expired uploads
    assert (stored(request.token).slots, used_bytes(request.owner_id)) == (1, 5)


def test_a_rejected_upload_gives_its_place_back_and_counts_as_nothing_received(
    folder: dict[str, Any], clock: FakeClock
) -> None:
    request = store_request(folder, clock(), max_files=1)
    file_id = sent_image(request, clock, landed_as="text/plain")  # not the type declared

    rejected = service.verify_upload(file_id)
    assert rejected is not None and rejected.rejection_reason == "type_mismatch"
    assert (stored(request.token).slots, stored(request.token).received) == (0, 0)
    assert send(request, clock) == 201


def test_a_received_file_that_is_not_the_image_it_claims_frees_its_place(
    folder: dict[str, Any], clock: FakeClock
) -> None:
    request = store_request(folder, clock(), max_files=1)
    file_id = sent_image(request, clock, landed_as="image/png")
    verified = service.verify_upload(file_id)
    assert verified is not None and verified.status == "available"
    assert (stored(request.token).slots, stored(request.token).received) == (1, 1)

    service.reject_content(file_id, "type_mismatch")  # the worker's image check
    assert (stored(request.token).slots, stored(request.token).received) == (0, 0)


def test_the_owner_deleting_a_pending_upload_gives_its_place_back_but_not_a_received_one(
    folder: dict[str, Any], clock: FakeClock
) -> None:
    request = store_request(folder, clock())
    body = RequestUpload(file_name="a.txt", content_type="text/plain", size=5)
    pending = uploads.start_upload(request.token, body, ip=None, now=clock()).file_id
    received = uploads.start_upload(request.token, body, ip=None, now=clock()).file_id
    land(received, b"12345")
    service.verify_upload(received)
    assert stored(request.token).slots == 2

    for file_id in (pending, received):
        record = repository.get_file(file_id)
        assert record is not None
        service.delete_file(record)
    assert (stored(request.token).slots, stored(request.token).received) == (1, 1)


def test_a_file_landing_after_its_place_went_back_is_received_if_the_request_has_room(
    folder: dict[str, Any], clock: FakeClock
) -> None:
    request = store_request(folder, clock(), max_files=2)
    late = expired_upload(request)
    service.sweep_expired(request.owner_id)
    assert stored(request.token).slots == 0

    land(late.file_id, b"12345")
    verified = service.verify_upload(late.file_id)
    assert verified is not None and verified.status == "available"
    assert (stored(request.token).slots, stored(request.token).received) == (1, 1)
    assert used_bytes(request.owner_id) == 5


def test_a_file_landing_after_its_place_went_back_to_a_full_request_is_rejected(
    folder: dict[str, Any], clock: FakeClock
) -> None:
    request = store_request(folder, clock(), max_files=1)
    late = expired_upload(request)
    assert send(request, clock) == 201  # the sweep gave the late one's place to this one

    land(late.file_id, b"12345")
    verified = service.verify_upload(late.file_id)
    assert verified is not None
    assert (verified.status, verified.rejection_reason) == ("rejected", "limit_reached")
    assert (stored(request.token).slots, stored(request.token).received) == (1, 0)
    assert used_bytes(request.owner_id) == 5  # only the one that holds the place


def test_a_reservation_whose_file_item_is_gone_still_gives_its_place_back(
    folder: dict[str, Any], clock: FakeClock
) -> None:
    request = store_request(folder, clock(), max_files=1)
    late = expired_upload(request)
    with db.call():  # what DynamoDB's TTL does to an abandoned pending item
        db.dynamodb().delete_item(
            TableName=db.table_name(),
            Key={"pk": {"S": f"FILE#{late.file_id}"}, "sk": {"S": "META"}},
        )
    service.sweep_expired(request.owner_id)
    assert (stored(request.token).slots, used_bytes(request.owner_id)) == (0, 0)


def test_counters_written_after_the_request_went_leave_no_request_behind(
    folder: dict[str, Any], clock: FakeClock
) -> None:
    request = store_request(folder, clock(), max_files=1)
    late = expired_upload(request)
    requests_repository.delete_request(request.token)  # its TTL passed
    service.sweep_expired(request.owner_id)

    assert requests_repository.get_request(request.token) is None
    land(late.file_id, b"12345")
    verified = service.verify_upload(late.file_id)
    assert verified is not None
    assert (verified.status, verified.rejection_reason) == ("rejected", "limit_reached")
