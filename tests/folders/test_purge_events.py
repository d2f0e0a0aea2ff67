"""The worker's stream entry point with real-shaped DynamoDB stream events (purge jobs), and the
local poller."""

from typing import Any

from fastapi.testclient import TestClient

from app.files import repository as files
from app.retention import repository as retention
from app.tree import repository as tree
from app.worker.handler import handler
from app.worker.poller import QueuePoller, stream_event
from tests.conftest import ApiUser
from tests.folders.conftest import Mkdir, PutFile


def _modify_event(folder_id: str) -> dict[str, Any]:
    event = stream_event([folder_id], "us-east-1")
    event["Records"][0]["eventName"] = "MODIFY"
    return event


def test_the_lambda_entry_purges_on_a_job_insert_and_ignores_other_records(
    client: TestClient, owner: ApiUser, mkdir: Mkdir, put_file: PutFile
) -> None:
    folder = mkdir(owner)["folderId"]
    file = put_file(owner, folder)
    client.delete(f"/folders/{folder}", headers=owner.headers)
    client.delete(f"/trash/{folder}", headers=owner.headers)
    assert handler(_modify_event(folder), None) == {"batchItemFailures": []}
    assert folder in retention.jobs()
    assert handler(stream_event([folder], "us-east-1"), None) == {"batchItemFailures": []}
    assert folder not in retention.jobs() and tree.get_folder(folder) is None
    assert files.get_file(file["fileId"]) is None


def test_a_failed_record_is_reported_by_its_sequence_number(monkeypatch) -> None:
    from app.trash import purge

    ran = []

    def boom(job: str) -> None:
        if job == "fo-a":
            raise RuntimeError(job)
        ran.append(job)

    monkeypatch.setattr(purge, "run", boom)
    event = stream_event(["fo-a", "fo-b"], "us-east-1")
    result = handler(event, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "1"}]} and ran == ["fo-b"]


def test_the_local_poller_hands_waiting_jobs_to_the_handler(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    QueuePoller("unused", handle=handler).run_purge_jobs()  # other tests' jobs
    folder = mkdir(owner)["folderId"]
    client.delete(f"/folders/{folder}", headers=owner.headers)
    client.delete(f"/trash/{folder}", headers=owner.headers)
    seen: list[dict[str, Any]] = []

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return handler(event, context)

    poller = QueuePoller("unused", handle=handle)
    assert poller.run_purge_jobs() == 1
    assert seen[0]["source"] == "aws.events"  # the schedule's tick comes first
    (record,) = seen[1]["Records"]
    assert record["eventSource"] == "aws:dynamodb" and record["eventName"] == "INSERT"
    assert record["dynamodb"]["Keys"] == {"pk": {"S": "PURGE"}, "sk": {"S": folder}}
    assert poller.run_purge_jobs() == 0
