"""Fixtures for the upload request tests, on a table of their own emptied after each (moto
is slow on the session's shared table): the folder tests' users and folders, requests made
through the API (`fixtures.py`) or stored with a cheap password hash, sends through the public
route."""

import os
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest

from app import db
from app.access import limits
from app.access import requests as requests_repository
from app.access.requests import RequestRecord
from app.local.bootstrap import LocalResources, create_table
from tests.conftest import reload_settings
from tests.files.conftest import atomic_dynamodb, land  # noqa: F401  (fixture, helper)
from tests.folders.conftest import _table_keys, client, mkdir, peer_ip  # noqa: F401
from tests.requests.fixtures import MakeRequest, Send, folder, make_request, send  # noqa: F401
from tests.shares.conftest import (  # noqa: F401  (fixtures)
    CHEAP_SCRYPT,
    FakeClock,
    clock,
    fixed_clock,
    owner,
    recipient,
    stranger,
)
from tests.versions.conftest import small_quota  # noqa: F401  (fixture)

COUNTERS = ("THROTTLE#", "UPLOADS#")  # what a refused call may still count


@pytest.fixture(scope="session")
def requests_table(aws: LocalResources) -> str:
    name = f"{aws.table_name}-requests"
    create_table(boto3.client("dynamodb", region_name="us-east-1"), name)
    return name


@pytest.fixture(autouse=True)
def _a_small_table_of_their_own(requests_table: str) -> Iterator[None]:
    """Every test here on its own small table, as the version tests do."""
    before = os.environ["TABLE_NAME"]
    os.environ["TABLE_NAME"] = requests_table
    reload_settings()
    try:
        yield
        db.batch_delete([{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in _table_keys()])
    finally:
        os.environ["TABLE_NAME"] = before
        reload_settings()


def store_request(
    into: dict[str, Any],
    now: datetime,
    *,
    password: str | None = None,
    max_files: int = 1000,
    max_file_bytes: int | None = None,
) -> RequestRecord:
    """A request for folder `into`, stored directly with a cheap password hash (it
    verifies as any: the format names its parameters)."""
    from app.shares.passwords import hash_password

    created = now.replace(microsecond=0)
    record = RequestRecord(
        token=secrets.token_urlsafe(24),
        folder_id=into["folderId"],
        owner_id=into["ownerId"],
        title="Receipts",
        message=None,
        created_at=created,
        expires_at=created + timedelta(hours=1),
        password_hash=hash_password(password, **CHEAP_SCRYPT) if password else None,
        max_files=max_files,
        max_file_bytes=max_file_bytes,
    )
    limits.add_request(record, now)
    return record


def stored(token: str) -> RequestRecord:
    record = requests_repository.get_request(token)
    assert record is not None
    return record


def written_since(before: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The items written since `before` was taken, but for attempt and upload counters."""
    return {key for key in _table_keys() - before if not key[1].startswith(COUNTERS)}
