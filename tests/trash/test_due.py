"""Going for good on time: trash past its days and files past their expiry, through the
worker's schedule tick and its purge jobs; races with restores; purges resumed after a crash."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import db
from app.clock import parse_iso, utcnow
from app.files import repository as files
from app.retention import repository as trash_repo
from app.trash import purge, service
from app.tree import repository as tree
from app.worker.handler import handle_batch
from app.worker.poller import schedule_event
from tests.conftest import ApiUser
from tests.trash.conftest import items, names, run_jobs, run_purges, trash_ids, usage

LATER = timedelta(days=31)


def test_the_schedule_purges_what_has_been_in_the_trash_past_its_days(
    client: TestClient, owner: ApiUser, mkdir, put_file
) -> None:
    folder = mkdir(owner, "F")["folderId"]
    put_file(owner, folder, "in.txt", b"12")
    loose = put_file(owner, None, "loose.txt", b"345")["fileId"]
    client.delete(f"/folders/{folder}", headers=owner.headers)
    client.delete(f"/files/{loose}", headers=owner.headers)

    assert service.run_due(utcnow() + timedelta(days=29)) == 0  # not yet
    assert service.run_due(utcnow() + LATER) == 2
    assert files.get_file(loose) is None  # a file goes at once
    run_jobs()  # the folder's job, as the stream delivers it

    assert tree.get_folder(folder) is None
    assert trash_ids(client, owner) == []
    assert usage(client, owner) == {"files": 0, "bytes": 0}
    assert service.run_due(utcnow() + LATER) == 0  # nothing left due


def test_a_restored_item_is_not_purged_when_its_old_day_comes(
    client: TestClient, owner: ApiUser, put_file
) -> None:
    file_id = put_file(owner, None, "a.txt")["fileId"]
    client.delete(f"/files/{file_id}", headers=owner.headers)
    client.post(f"/trash/{file_id}/restore", headers=owner.headers)
    assert service.run_due(utcnow() + LATER) == 0
    assert client.get(f"/files/{file_id}", headers=owner.headers).status_code == 200


def test_a_restore_racing_the_purge_ends_fully_restored_or_fully_gone(
    client: TestClient, owner: ApiUser, mkdir, put_file
) -> None:
    # The purge wins: the restore finds nothing to restore, and the purge ends the job.
    first = mkdir(owner, "First")["folderId"]
    put_file(owner, first, "a.txt")
    client.delete(f"/folders/{first}", headers=owner.headers)
    assert service.run_due(utcnow() + LATER) == 1
    assert client.post(f"/trash/{first}/restore", headers=owner.headers).status_code == 404
    run_jobs()
    assert tree.get_folder(first) is None and usage(client, owner)["files"] == 0

    # The restore wins: the due entry it leaves behind no longer matches, and goes.
    second = mkdir(owner, "Second")["folderId"]
    put_file(owner, second, "b.txt")
    client.delete(f"/folders/{second}", headers=owner.headers)
    assert client.post(f"/trash/{second}/restore", headers=owner.headers).status_code == 200
    assert service.run_due(utcnow() + LATER) == 0
    assert run_jobs() == 0
    assert names(items(client, owner, second)) == ["b.txt"]


def test_a_restore_that_loses_the_condition_to_a_purge_writes_nothing(
    client: TestClient, owner: ApiUser, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The purge's mark lands between the restore's read and its write."""
    file_id = put_file(owner, None, "a.txt")["fileId"]
    client.delete(f"/files/{file_id}", headers=owner.headers)
    real = trash_repo.restore

    def purge_first(*args, **kwargs):
        assert service.run_due(utcnow() + LATER) == 1
        return real(*args, **kwargs)

    monkeypatch.setattr(trash_repo, "restore", purge_first)
    assert client.post(f"/trash/{file_id}/restore", headers=owner.headers).status_code == 404
    assert files.get_file(file_id) is None
    assert usage(client, owner) == {"files": 0, "bytes": 0}


def test_a_purge_that_dies_half_way_is_finished_by_the_next_run(
    client: TestClient, owner: ApiUser, mkdir, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.files import service as files_service

    top = mkdir(owner, "Top")["folderId"]
    inner = mkdir(owner, "Inner", parent=top)["folderId"]
    for i in range(3):
        put_file(owner, inner, f"{i}.txt")
    client.delete(f"/folders/{top}", headers=owner.headers)
    client.delete(f"/trash/{top}", headers=owner.headers)
    real, calls = files_service.delete_file, []

    def crash_on_second(record):
        calls.append(record.file_id)
        if len(calls) == 2:
            raise RuntimeError("worker died")
        return real(record)

    monkeypatch.setattr(files_service, "delete_file", crash_on_second)
    failed = run_purges([top])
    assert len(failed["batchItemFailures"]) == 1 and top in trash_repo.jobs()
    assert usage(client, owner)["files"] == 2  # one file went, exactly once
    monkeypatch.setattr(files_service, "delete_file", real)
    assert run_purges([top]) == {"batchItemFailures": []}
    assert top not in trash_repo.jobs()
    assert tree.get_folder(inner) is None and tree.get_folder(top) is None
    assert usage(client, owner) == {"files": 0, "bytes": 0}


def test_a_file_purge_that_dies_after_its_item_went_is_finished_by_the_job(
    client: TestClient, owner: ApiUser, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.files import service as files_service

    file_id = put_file(owner, None, "a.txt")["fileId"]
    client.delete(f"/files/{file_id}", headers=owner.headers)

    def die(_file_id: str) -> None:
        raise RuntimeError("died before the bytes went")

    monkeypatch.setattr(files_service, "delete_leftovers", die)
    with TestClient(client.app, raise_server_exceptions=False) as other:
        assert other.delete(f"/trash/{file_id}", headers=owner.headers).status_code == 500
    assert files.get_file(file_id) is None and file_id in trash_repo.jobs()
    monkeypatch.undo()
    assert run_purges([file_id]) == {"batchItemFailures": []}
    assert file_id not in trash_repo.jobs()
    assert usage(client, owner) == {"files": 0, "bytes": 0}


def test_the_worker_takes_the_schedules_event_as_eventbridge_sends_it(
    client: TestClient, owner: ApiUser, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = json.loads(
        (Path(__file__).parents[1] / "events" / "eventbridge_schedule.json").read_text()
    )
    assert event == schedule_event("us-east-1") | {
        "id": event["id"],
        "time": event["time"],
        "account": event["account"],
        "resources": event["resources"],
    }
    file_id = put_file(owner, None, "a.txt")["fileId"]
    client.delete(f"/files/{file_id}", headers=owner.headers)
    monkeypatch.setattr("app.trash.service.utcnow", lambda: utcnow() + LATER)
    assert handle_batch(event) == {"due": 1}
    assert files.get_file(file_id) is None


# ---------------------------------------------------------------- expiry


def _expire_now(file_id: str) -> int:
    """Move a file's expiry (and its due entry) to a second ago: what time passing does."""
    record = files.get_file(file_id)
    past = int(utcnow().timestamp()) - 1
    assert trash_repo.set_expiry(file_id, record.expiry, past)
    return past


def test_an_expiry_set_on_upload_shows_and_is_due_then(client: TestClient, owner: ApiUser) -> None:
    body = {"fileName": "a.txt", "contentType": "text/plain", "size": 1, "expiresIn": 3600}
    ticket = client.post("/files/upload-url", json=body, headers=owner.headers).json()
    expires = parse_iso(ticket["file"]["expiresAt"])
    assert timedelta(seconds=3598) < expires - utcnow() <= timedelta(seconds=3600)
    assert service.run_due(utcnow() + timedelta(seconds=3601)) == 1
    assert files.get_file(ticket["fileId"]) is None
    assert usage(client, owner)["bytes"] == 0


def test_an_expired_file_stops_at_its_instant_for_everyone_and_goes_within_the_minute(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir, put_file
) -> None:
    folder = mkdir(owner, "F")["folderId"]
    file_id = put_file(owner, folder, "a.txt", b"12345")["fileId"]
    client.post(f"/files/{file_id}/share", json={"email": recipient.email}, headers=owner.headers)
    token = client.post(
        f"/files/{file_id}/links", json={"expiresIn": 3600}, headers=owner.headers
    ).json()["token"]
    client.post(f"/folders/{folder}/share", json={"email": recipient.email}, headers=owner.headers)
    folder_token = client.post(
        f"/folders/{folder}/links", json={"expiresIn": 3600}, headers=owner.headers
    ).json()["token"]
    at = (utcnow() + timedelta(hours=1)).isoformat()
    patched = client.patch(f"/files/{file_id}", json={"expiresAt": at}, headers=owner.headers)
    assert patched.status_code == 200 and patched.json()["expiresAt"] is not None

    _expire_now(file_id)  # the instant passes; the schedule has not run yet

    for user in (owner, recipient):
        assert client.get(f"/files/{file_id}", headers=user.headers).status_code == 404
    assert client.post(f"/links/{token}/download", json={}).status_code == 404
    down = client.post(f"/links/{folder_token}/download", json={"fileId": file_id})
    assert down.status_code == 404
    assert client.get(f"/links/{folder_token}/items").json()["items"] == []
    assert client.get("/files", headers=owner.headers).json()["items"] == []
    assert names(items(client, owner, folder)) == []
    assert names(items(client, recipient, folder)) == []
    assert client.get("/search", params={"q": "a.txt"}, headers=owner.headers).json()["items"] == []

    assert service.run_due() == 1
    assert files.get_file(file_id) is None
    assert usage(client, owner) == {"files": 0, "bytes": 0}
    assert trash_ids(client, owner) == []  # deleted for good, not trashed


def test_expiry_can_be_moved_and_cleared_and_never_set_in_the_past(
    client: TestClient, owner: ApiUser, put_file
) -> None:
    file_id = put_file(owner, None, "a.txt")["fileId"]
    soon = (utcnow() + timedelta(minutes=5)).isoformat()
    later = (utcnow() + timedelta(days=2)).isoformat()
    h = owner.headers
    assert client.patch(f"/files/{file_id}", json={"expiresAt": soon}, headers=h).status_code == 200
    moved = client.patch(f"/files/{file_id}", json={"expiresAt": later}, headers=h).json()
    assert parse_iso(moved["expiresAt"]) > utcnow() + timedelta(days=1)
    assert service.run_due(utcnow() + timedelta(minutes=10)) == 0  # the old instant went with it
    cleared = client.patch(f"/files/{file_id}", json={"expiresAt": None}, headers=h).json()
    assert cleared["expiresAt"] is None
    assert service.run_due(utcnow() + timedelta(days=3)) == 0
    assert client.get(f"/files/{file_id}", headers=h).status_code == 200
    past = (utcnow() - timedelta(seconds=1)).isoformat()
    for bad in (past, "tomorrow", "2030-01-01T00:00:00"):  # the last has no zone
        response = client.patch(f"/files/{file_id}", json={"expiresAt": bad}, headers=h)
        assert response.status_code == 422, bad
        assert response.json()["code"] == "validation_error"
    body = {"fileName": "b.txt", "contentType": "text/plain", "size": 1, "expiresIn": 0}
    assert client.post("/files/upload-url", json=body, headers=h).status_code == 422


def test_a_trashed_file_that_expires_goes_for_good(
    client: TestClient, owner: ApiUser, put_file
) -> None:
    file_id = put_file(owner, None, "a.txt")["fileId"]
    client.patch(
        f"/files/{file_id}",
        json={"expiresAt": (utcnow() + timedelta(hours=1)).isoformat()},
        headers=owner.headers,
    )
    client.delete(f"/files/{file_id}", headers=owner.headers)
    _expire_now(file_id)
    assert service.run_due() == 1
    assert trash_ids(client, owner) == [] and files.get_file(file_id) is None
    assert service.run_due(utcnow() + LATER) == 0  # its trash entry went stale and is dropped
    assert not db.query_all(
        {
            "KeyConditionExpression": "pk = :pk",
            "FilterExpression": "itemId = :id",
            "ExpressionAttributeValues": db.to_values({":pk": "DUE", ":id": file_id}),
        }
    )
    purge.run_waiting()


def test_clearing_an_expiry_that_was_never_set_with_a_move_is_a_no_op(
    client: TestClient, owner: ApiUser, mkdir, put_file
) -> None:
    """A fuzzing finding: `{folderId, expiresAt: null}` on a file without an expiry was a 503
    (an update with an empty ExpressionAttributeValues map)."""
    folder = mkdir(owner, "F")["folderId"]
    file_id = put_file(owner, None, "a.txt")["fileId"]
    body = {"folderId": folder, "expiresAt": None}
    moved = client.patch(f"/files/{file_id}", json=body, headers=owner.headers)
    assert moved.status_code == 200, moved.text
    assert moved.json()["folderId"] == folder and moved.json()["expiresAt"] is None


def test_emptying_the_trash_is_documented_as_202_without_a_body(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/trash"]["delete"]
    assert "content" not in operation["responses"]["202"]
