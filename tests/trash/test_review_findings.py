"""A review of the trash and expiry: races and crashes a hostile or unlucky user can hit.

Each test drives the API (or the worker's tick) and simulates the interleaving it needs by
wrapping one repository call, so the other request's writes land between this one's read and
its write, as two concurrent requests would.
"""

from dataclasses import replace
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from fastapi.testclient import TestClient

from app import db
from app.clock import utcnow
from app.files import repository as files_repo
from app.files import service as files_service
from app.files.repository import PENDING
from app.folders import service as folders_service
from app.retention import repository as trash_repo
from app.trash import service
from app.tree import repository as tree
from app.worker.handler import handle_batch
from app.worker.poller import schedule_event
from tests.conftest import ApiUser
from tests.trash.conftest import items, names, run_jobs, run_purges, trash_ids, usage

LATER = timedelta(days=31)


def _expire_now(file_id: str) -> None:
    """What time passing does: the file's expiry (and its due entry) a second ago."""
    record = files_repo.get_file(file_id)
    assert record is not None
    assert trash_repo.set_expiry(file_id, record.expiry, int(utcnow().timestamp()) - 1)


def _folder_link(client: TestClient, owner: ApiUser, folder_id: str) -> str:
    response = client.post(
        f"/folders/{folder_id}/links", json={"expiresIn": 3600}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


# ---------------------------------------------------------------- 1. PATCH races a delete


def test_a_file_moved_while_its_folder_goes_to_the_trash_is_not_left_in_limbo(
    client: TestClient, owner: ApiUser, mkdir, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PATCH /files/{id} {folderId: null} read the file; DELETE /folders/{its folder} lands
    before the PATCH's write. The move's condition is only `attribute_exists(pk)`, so the file
    is put at the top level still marked `purging = <folder>`: it shows in the top level's
    page but answers 404, is in no trash, cannot be restored nor deleted, and the folder's
    purge no longer finds it: its bytes are never freed."""
    folder = mkdir(owner, "Docs")["folderId"]
    file_id = put_file(owner, folder, "a.txt", b"12345")["fileId"]
    real = files_repo.move

    def folder_trashed_first(record, target):
        folders_service.delete_folder(folder, owner.user_id)  # the concurrent DELETE
        return real(record, target)

    monkeypatch.setattr(files_repo, "move", folder_trashed_first)
    client.patch(f"/files/{file_id}", json={"folderId": None}, headers=owner.headers)
    monkeypatch.undo()

    opens = client.get(f"/files/{file_id}", headers=owner.headers).status_code == 200
    listed = "a.txt" in names(items(client, owner, "root"))
    assert listed == opens, "listed at the top level but 404 (or the reverse)"

    # The folder goes for good: what went to the trash with it is freed, the rest stays.
    assert client.delete(f"/trash/{folder}", headers=owner.headers).status_code == 204
    run_jobs()
    assert usage(client, owner) == ({"files": 1, "bytes": 5} if opens else {"files": 0, "bytes": 0})


def test_a_file_moved_while_it_goes_to_the_trash_stays_out_of_folder_pages_and_links(
    client: TestClient, owner: ApiUser, mkdir, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PATCH /files/{id} {folderId: <a linked folder>} read the file; DELETE /files/{id} lands
    before the PATCH's write: the trashed file gets a place in the folder again (gsi2), so its
    name and size show in the owner's folder page and to any visitor of the folder's public
    link while it is in the trash."""
    public = mkdir(owner, "Public")["folderId"]
    token = _folder_link(client, owner, public)
    file_id = put_file(owner, None, "secret.txt")["fileId"]
    real = files_repo.move

    def trashed_first(record, target):
        files_service.trash_file(files_repo.get_file(file_id))  # the concurrent DELETE
        return real(record, target)

    monkeypatch.setattr(files_repo, "move", trashed_first)
    client.patch(f"/files/{file_id}", json={"folderId": public}, headers=owner.headers)
    monkeypatch.undo()

    assert trash_ids(client, owner) == [file_id]
    assert client.get(f"/links/{token}/items").json()["items"] == []
    assert names(items(client, owner, public)) == []


# ---------------------------------------------------------------- 2. restore races an expiry


def test_a_folder_restore_racing_an_expiry_purge_leaves_no_half_item(
    client: TestClient, owner: ApiUser, mkdir, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder is restored while a file in it reaches its expiry: the restore read the folder's
    files (tree.children), the schedule's tick purged the expired one, then the restore's
    `unhide` ran on it. Its condition (`attribute_not_exists(purging) OR purging = :root`)
    holds on an item that does not exist, so UpdateItem creates a bare `FILE#<id>/META` item
    (just keys and gsi1): the id now answers 500, and the stream's run of the file's purge job
    fails on it every retry."""
    folder = mkdir(owner, "F")["folderId"]
    file_id = put_file(owner, folder, "a.txt")["fileId"]
    at = (utcnow() + timedelta(hours=1)).isoformat()
    assert (
        client.patch(f"/files/{file_id}", json={"expiresAt": at}, headers=owner.headers).status_code
        == 200
    )
    assert client.delete(f"/folders/{folder}", headers=owner.headers).status_code == 204
    real = tree.children

    def expiry_purged_meanwhile(parent_id: str):
        found = real(parent_id)
        if any(child.item_id == file_id for child in found):
            _expire_now(file_id)
            assert service.run_due() == 1  # the tick: the file goes for good
        return found

    monkeypatch.setattr(tree, "children", expiry_purged_meanwhile)
    assert client.post(f"/trash/{folder}/restore", headers=owner.headers).status_code == 200
    monkeypatch.undo()

    response = client.get(f"/files/{file_id}", headers=owner.headers)
    assert response.status_code == 404, response.text
    listed = client.get("/files", headers=owner.headers)
    assert listed.status_code == 200, listed.text
    assert trash_repo.get_item(file_id) is None, "a bare item was written for a purged file"


# ---------------------------------------------------------------- 3. a delete that dies


def test_a_folder_delete_that_dies_half_way_does_not_leave_links_below_alive_nor_take_new_files(
    client: TestClient, owner: ApiUser, mkdir, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DELETE /folders/{top} dies (an API Lambda timeout) after marking some of what is below
    and before the folder's own mark: what it marked stays out of reach (no link below serves,
    no upload lands there), nothing is in the trash, and the owner's next folder change puts
    it all back as it was."""
    top = mkdir(owner, "Top")["folderId"]
    inner = mkdir(owner, "Inner", parent=top)["folderId"]
    old = put_file(owner, inner, "old.txt")["fileId"]
    token = _folder_link(client, owner, inner)
    real, calls = trash_repo.hide, []

    def die_on_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the API Lambda timed out")
        return real(*args, **kwargs)

    monkeypatch.setattr(trash_repo, "hide", die_on_second)
    assert client.delete(f"/folders/{top}", headers=owner.headers).status_code == 500
    monkeypatch.undo()
    assert trash_ids(client, owner) == []

    assert client.get(f"/links/{token}/items").status_code == 404
    body = {"fileName": "new.txt", "contentType": "text/plain", "size": 1, "folderId": inner}
    assert client.post("/files/upload-url", json=body, headers=owner.headers).status_code == 404

    lease = tree.current_lease(owner.user_id)
    assert lease is not None  # the dead request's: the next change finishes it once it ran out
    _expire_lease(owner.user_id)
    assert client.post("/folders", json={"name": "x"}, headers=owner.headers).status_code == 201
    assert client.get(f"/links/{token}/items").status_code == 200
    assert client.get(f"/files/{old}", headers=owner.headers).status_code == 200
    assert client.delete(f"/folders/{top}", headers=owner.headers).status_code == 204
    assert trash_ids(client, owner) == [top]


def _expire_lease(owner_id: str) -> None:
    db.dynamodb().update_item(
        TableName=db.table_name(),
        Key={"pk": {"S": f"USER#{owner_id}"}, "sk": {"S": "TREELEASE"}},
        UpdateExpression="SET #until = :past",
        ExpressionAttributeNames={"#until": "until"},
        ExpressionAttributeValues={":past": {"N": "1"}},
    )


def test_files_added_below_a_half_deleted_folder_are_not_purged_with_it(
    client: TestClient, owner: ApiUser, mkdir, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same dead DELETE: the owner keeps using the folder below (it shows everywhere as
    live) and uploads into it; 30 days later the trash's purge of `top` walks the tree and
    deletes for good the file uploaded after the delete, which was never in the trash."""
    top = mkdir(owner, "Top")["folderId"]
    inner = mkdir(owner, "Inner", parent=top)["folderId"]

    def die(*args, **kwargs):
        raise RuntimeError("the API Lambda timed out")

    monkeypatch.setattr(trash_repo, "hide", die)
    assert client.delete(f"/folders/{top}", headers=owner.headers).status_code == 500
    monkeypatch.undo()

    body = {"fileName": "new.txt", "contentType": "text/plain", "size": 5, "folderId": inner}
    accepted = client.post("/files/upload-url", json=body, headers=owner.headers)
    if accepted.status_code == 404:
        return  # refused: nothing of the owner's can go with `top` unseen
    new = put_file(owner, inner, "new.txt")["fileId"]
    assert client.get(f"/files/{new}", headers=owner.headers).status_code == 200

    service.run_due(utcnow() + LATER)
    run_jobs()

    assert client.get(f"/files/{new}", headers=owner.headers).status_code == 200, (
        "a file the owner uploaded after the delete, and could open until now, went for good"
    )


# ---------------------------------------------------------------- 4. the tick's transient failures


def _conflict() -> ClientError:
    return ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "conflict"},
            "CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}],
        },
        "TransactWriteItems",
    )


def test_a_due_entry_is_kept_when_its_transaction_only_conflicted(
    client: TestClient, owner: ApiUser, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_due drops a DUE entry whenever the mark-and-job transaction is cancelled, whatever
    the reason: a TransactionConflict (another write on the file at that instant) or a
    throttled item counts as "restored or expiry moved", the entry goes, and the expired file
    is never deleted: its bytes stay in S3 and in the owner's usage for ever."""
    file_id = put_file(owner, None, "a.txt", b"12345")["fileId"]
    at = (utcnow() + timedelta(hours=1)).isoformat()
    client.patch(f"/files/{file_id}", json={"expiresAt": at}, headers=owner.headers)
    _expire_now(file_id)
    real, calls = trash_repo._transact, []

    def conflict_once(transact_items):
        calls.append(1)
        if len(calls) == 1:
            with db.call(db.TRANSACTION_CANCELED):
                raise _conflict()
            return False
        return real(transact_items)

    monkeypatch.setattr(trash_repo, "_transact", conflict_once)
    service.run_due()  # this tick lost to a concurrent write
    service.run_due()  # the next one
    monkeypatch.undo()

    assert files_repo.get_file(file_id) is None
    assert usage(client, owner) == {"files": 0, "bytes": 0}


def test_the_tick_sends_everything_that_is_due_not_only_its_first_page(
    client: TestClient, owner: ApiUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_due reads one Query page of DUE entries (one partition for every user) and
    stopped there: with more items due in a minute than a page, the rest were late by a
    minute per page (the issue: deleted for good within a minute after). Pages of 3 here
    (moto copies its whole table per transaction item: 101 uploads grew the full run's
    memory past what CI has)."""
    monkeypatch.setattr(service, "DUE_BATCH", 3)
    ids = []
    for i in range(service.DUE_BATCH + 1):
        body = {"fileName": f"{i}.txt", "contentType": "text/plain", "size": 1, "expiresIn": 60}
        response = client.post("/files/upload-url", json=body, headers=owner.headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["fileId"])

    service.run_due(utcnow() + timedelta(seconds=61))  # one tick, a minute later

    left = [file_id for file_id in ids if files_repo.get_file(file_id) is not None]
    assert left == []


# ---------------------------------------------------------------- 5. DELETE of an upload that lands


def test_deleting_an_upload_that_completes_meanwhile_trashes_it_not_deletes_it_for_good(
    client: TestClient, owner: ApiUser, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DELETE /files/{id} read a pending upload; the upload completes before its write.
    trash_file hands the stale record to delete_file, whose retry loop re-reads the file and
    deletes it for good although it is available now: no trash, no restore."""
    done = put_file(owner, None, "a.txt", b"12345")
    file_id = done["fileId"]
    available = files_repo.get_file(file_id)
    assert available is not None
    as_read = replace(available, status=PENDING, reserved=True)  # read just before it landed

    files_service.trash_file(as_read)  # what DELETE does with the record its read returned

    assert trash_ids(client, owner) == [file_id]
    assert client.post(f"/trash/{file_id}/restore", headers=owner.headers).status_code == 200


# ---------------------------------------------------------------- 6. URLs that outlive an expiry


def test_a_download_url_does_not_outlive_the_files_expiry(
    client: TestClient, owner: ApiUser, recipient: ApiUser, put_file
) -> None:
    """The expiry stops shares and links at its instant, but a download URL asked for a
    moment before it is presigned for the usual 15 minutes (a link's for 60 s): the bytes stay
    downloadable past the expiry until the purge removes them (later still if the tick is
    late)."""
    file_id = put_file(owner, None, "a.txt")["fileId"]
    client.post(f"/files/{file_id}/share", json={"email": recipient.email}, headers=owner.headers)
    token = client.post(
        f"/files/{file_id}/links", json={"expiresIn": 3600}, headers=owner.headers
    ).json()["token"]
    at = utcnow() + timedelta(seconds=30)
    patched = client.patch(
        f"/files/{file_id}", json={"expiresAt": at.isoformat()}, headers=owner.headers
    )
    assert patched.status_code == 200, patched.text

    for user in (owner, recipient):
        url = client.get(f"/files/{file_id}/download-url", headers=user.headers).json()
        assert url["expiresIn"] <= 30, url["expiresIn"]
    link = client.post(f"/links/{token}/download", json={}).json()
    assert link["expiresIn"] <= 30, link["expiresIn"]


# ---------------------------------------------------------------- 7. a job past its retries


def test_a_purge_job_whose_stream_record_ran_out_of_retries_is_run_again_by_the_schedule(
    client: TestClient, owner: ApiUser, mkdir, put_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On AWS only the stream's INSERT record starts a purge job (the poller that re-reads the
    PURGE partition is the local stand-in). A job whose record failed its 10 retries (an S3 or
    DynamoDB outage of a few minutes, a bug since fixed) goes to PurgesDeadLetterQueue as
    shard metadata that nothing re-runs: the folder is out of the trash (`deleting`), never
    purged, and its bytes count for ever. The schedule's tick, the one other entry point,
    ignores the job."""
    import app.trash.purge as purge_module

    folder = mkdir(owner, "F")["folderId"]
    put_file(owner, folder, "a.txt", b"12345")
    client.delete(f"/folders/{folder}", headers=owner.headers)
    assert client.delete(f"/trash/{folder}", headers=owner.headers).status_code == 204

    def outage(folder_id: str) -> int:
        raise RuntimeError("S3 SlowDown")

    monkeypatch.setattr(purge_module, "purge_folder", outage)
    for _ in range(11):  # the first delivery and MaximumRetryAttempts: 10
        assert run_purges([folder])["batchItemFailures"]
    monkeypatch.undo()

    later = utcnow() + timedelta(hours=1)
    monkeypatch.setattr("app.trash.service.utcnow", lambda: later)
    handle_batch(schedule_event("us-east-1"))  # the ticks that follow

    assert tree.get_folder(folder) is None
    assert usage(client, owner) == {"files": 0, "bytes": 0}
