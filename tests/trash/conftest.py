"""The trash tests use the folder tests' users, clock and helpers (and leave the shared moto
table as they found it)."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.clock import utcnow
from app.trash import purge, service
from tests.conftest import ApiUser
from tests.folders.conftest import (  # noqa: F401  (fixtures)
    _leave_the_table_as_found,
    atomic_dynamodb,
    client,
    fixed_clock,
    items,
    mkdir,
    names,
    owner,
    peer_ip,
    put_file,
    recipient,
    run_purges,
    stranger,
)


@pytest.fixture(autouse=True)
def _nothing_due_from_other_tests() -> None:
    """The session shares one table: what earlier tests left in the trash (their items would be
    due 30 days on) goes for good first, so these tests' ticks count only their own."""
    while service.run_due(utcnow() + timedelta(days=3650)):
        pass
    run_jobs()


def usage(api: TestClient, user: ApiUser) -> dict[str, Any]:
    return dict(api.get("/users/me", headers=user.headers).json()["usage"])


def trash_ids(api: TestClient, user: ApiUser) -> list[str]:
    response = api.get("/trash", headers=user.headers)
    assert response.status_code == 200, response.text
    return [
        entry["folder"]["folderId"] if entry["type"] == "folder" else entry["file"]["fileId"]
        for entry in response.json()["items"]
    ]


def run_jobs() -> int:
    """What the stream delivers to the worker: every purge job still waiting, until none."""
    done = 0
    while ran := purge.run_waiting():
        done += ran
    return done
