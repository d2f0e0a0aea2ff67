"""Usage counters stay equal to what the items say, whatever fails along the way."""

import random
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import db
from app.users import repository as users
from tests.conftest import ApiUser
from tests.faults import Kind, inject

pytestmark = pytest.mark.usefixtures("tight_budget")  # tests/conftest.py

KINDS: list[Kind] = ["fail", "refuse", "lose", "throttle"]
OPERATIONS = [None, "UpdateItem", "TransactWriteItems", "PutItem", "GetItem", "Query"]


def counted(user_id: str) -> tuple[int, int]:
    """(bytes, files) as the file items have them: available sizes (in the trash too) plus held
    reservations."""
    answer = db.dynamodb().scan(
        TableName=db.table_name(),
        FilterExpression="ownerId = :owner AND begins_with(pk, :file)",
        ExpressionAttributeValues=db.to_values({":owner": user_id, ":file": "FILE#"}),
        ConsistentRead=True,
    )
    items = [db.from_item(item) or {} for item in answer["Items"]]
    available = [i for i in items if i["status"] == "available"]
    held = [i for i in items if i["status"] == "pending" and i.get("reserved")]
    return sum(i["size"] for i in available + held), len(available)


def step(client: TestClient, user: ApiUser, rng: random.Random, files: list[str]) -> Any:
    action = rng.choice(["declare", "declare", "complete", "delete", "purge", "multipart", "abort"])
    if action in {"declare", "multipart"}:
        path = "/files/upload-url" if action == "declare" else "/files/multipart"
        low = 1 if action == "declare" else 5 << 20  # multipart parts are at least 5 MiB
        body = {"fileName": "f.txt", "contentType": "text/plain", "size": rng.randint(low, 2 * low)}
        response = client.post(path, json=body, headers=user.headers)
        if response.status_code == 201:
            files.append(response.json()["fileId"])
        return response
    if not files:
        return None
    file_id = rng.choice(files)
    if action == "complete":
        return client.post(f"/files/{file_id}/complete", headers=user.headers)
    if action == "abort":
        return client.delete(f"/files/{file_id}/multipart", headers=user.headers)
    if action == "purge":  # for good, from the trash
        return client.delete(f"/trash/{file_id}", headers=user.headers)
    return client.delete(f"/files/{file_id}", headers=user.headers)


def test_counters_match_the_items_after_a_run_with_injected_failures(
    client: TestClient, user: ApiUser
) -> None:
    rng, files, statuses = random.Random(20261202), [], []
    for _ in range(60):
        kind, operation = rng.choice(KINDS), rng.choice(OPERATIONS)
        with inject("dynamodb", kind, operation, times=rng.randint(1, 3)):
            response = step(client, user, rng, files)
        if response is not None:
            statuses.append(response.status_code)
    assert 503 in statuses and any(s < 300 for s in statuses)  # the run did both
    assert 422 not in statuses  # every step was a valid request
    assert all(s < 500 or s == 503 for s in statuses)
    profile = users.get_profile(user.user_id)
    assert profile is not None
    assert (profile.used_bytes, profile.file_count) == counted(user.user_id)
