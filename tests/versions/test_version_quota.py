"""Every kept version counts against the quota; a pending version holds its bytes until it
lands or its window closes; parallel version uploads can never pass the quota together."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from app.errors import AppError
from app.files import repository, service, version_items, versions
from app.files.repository import FileRecord
from app.files.schemas import FileCreate, VersionCreate
from app.users import repository as users
from tests.conftest import ApiUser
from tests.versions.conftest import NewVersion, PutFile, land, usage, versions_of


def test_kept_versions_count_and_what_does_not_fit_is_refused(
    client: TestClient,
    owner: ApiUser,
    put_file: PutFile,
    new_version: NewVersion,
    small_quota: int,
) -> None:
    file = put_file(owner, b"12345")
    new_version(owner, file["fileId"], b"1234567")
    assert usage(client, owner) == {"files": 1, "bytes": 12}

    path = f"/files/{file['fileId']}/versions"
    refused = client.post(
        path, json={"contentType": "text/plain", "size": 9}, headers=owner.headers
    )
    assert refused.status_code == 403 and refused.json()["code"] == "quota_exceeded"
    fits = client.post(path, json={"contentType": "text/plain", "size": 8}, headers=owner.headers)
    assert fits.status_code == 201
    assert usage(client, owner)["bytes"] == 20


def test_a_restore_that_does_not_fit_is_403_and_changes_nothing(
    client: TestClient,
    owner: ApiUser,
    put_file: PutFile,
    new_version: NewVersion,
    small_quota: int,
) -> None:
    file = put_file(owner, b"1234567")
    new_version(owner, file["fileId"], b"12345678")
    before = versions_of(client, owner, file["fileId"])

    response = client.post(
        f"/files/{file['fileId']}/versions/{before[1]['versionId']}/restore",
        headers=owner.headers,
    )

    assert response.status_code == 403 and response.json()["code"] == "quota_exceeded"
    assert versions_of(client, owner, file["fileId"]) == before
    assert usage(client, owner) == {"files": 1, "bytes": 15}


def _available(owner_id: str, data: bytes) -> FileRecord:
    ticket = service.create_upload(
        owner_id, FileCreate(file_name="a.txt", content_type="text/plain", size=len(data))
    )
    land(ticket.file_id, data)
    record = service.verify_upload(ticket.file_id)
    assert record is not None and record.status == "available"
    return record


def test_parallel_version_uploads_never_pass_the_quota_together(
    small_quota: int, atomic_dynamodb: None
) -> None:
    owner_id = str(uuid.uuid4())
    users.save_profile(owner_id, f"{owner_id}@example.com")
    files = [_available(owner_id, b"ab") for _ in range(4)]  # 8 bytes used, 12 free

    def declare(record: FileRecord) -> bool:
        try:
            versions.create_upload(record, VersionCreate(content_type="text/plain", size=5))
        except AppError as refused:
            assert refused.code == "quota_exceeded"
            return False
        return True

    with ThreadPoolExecutor(max_workers=4) as pool:
        accepted = list(pool.map(declare, files))

    assert sum(accepted) == 2
    profile = users.get_profile(owner_id)
    assert profile is not None and profile.used_bytes == 8 + 2 * 5 <= small_quota
    for record, ok in zip(files, accepted, strict=True):
        assert (version_items.get_next(record.file_id) is not None) is ok


def test_a_version_whose_window_closed_unused_gives_its_bytes_back(
    client: TestClient, owner: ApiUser, put_file: PutFile, one_second_window: None
) -> None:
    file = put_file(owner)
    body = {"contentType": "text/plain", "size": 9}
    assert client.post(f"/files/{file['fileId']}/versions", json=body, headers=owner.headers)
    time.sleep(1.1)

    assert usage(client, owner) == {"files": 1, "bytes": 5}  # /users/me sweeps first
    pending = version_items.get_next(file["fileId"])
    assert pending is not None and not pending.reserved
    assert usage(client, owner) == {"files": 1, "bytes": 5}


def test_a_late_version_after_its_window_counts_again_if_it_fits(
    client: TestClient, owner: ApiUser, put_file: PutFile, one_second_window: None
) -> None:
    file = put_file(owner)
    body = {"contentType": "text/plain", "size": 9}
    assert client.post(f"/files/{file['fileId']}/versions", json=body, headers=owner.headers)
    time.sleep(1.1)
    assert usage(client, owner)["bytes"] == 5
    land(file["fileId"], b"123456789")  # a form S3 still took (its clock, its grace)

    done = client.post(f"/files/{file['fileId']}/complete", headers=owner.headers)

    assert done.status_code == 200 and done.json()["size"] == 9
    assert usage(client, owner) == {"files": 1, "bytes": 14}
    record = repository.get_file(file["fileId"])
    assert record is not None and record.stored_bytes == 14
