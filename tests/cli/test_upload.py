"""Large uploads: multipart round trips byte for byte, and an interrupted upload resumes."""

import hashlib
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.cli.conftest import Cli, Server, User, write

pytestmark = pytest.mark.e2e
MIB = 1024**2


def test_a_multipart_upload_round_trips_byte_identical(
    cli: Cli, logged_in: User, tmp_path: Path
) -> None:
    data = os.urandom(20 * MIB + 12345)  # 5 MiB parts: 5 of them, the last one short
    path = write(tmp_path / "big.bin", data)

    [item] = cli.json("upload", str(path), "--parallel", "4")["items"]

    assert (item["size"], item["status"], item["resumed"]) == (len(data), "available", False)
    assert item["partsSent"] == 5
    [got] = cli.json("download", item["fileId"], "-o", str(tmp_path / "back.bin"))["items"]
    assert (tmp_path / "back.bin").read_bytes() == data
    assert got["verified"] == "sha256"
    assert item["sha256"] == hashlib.sha256(data).hexdigest()
    assert list((Path(cli.env["XDG_STATE_HOME"]) / "sharebox" / "uploads").glob("*")) == []


def uploaded_parts(server: Server, user: User, state: Path) -> tuple[str | None, int]:
    """The file id the state file names (None before it has one) and its parts on the server."""
    try:
        steps = [json.loads(line)[1] for line in state.read_text().splitlines()]
    except (FileNotFoundError, ValueError):  # not there yet, or a line half-written
        return None, 0
    file_id = next((step["fileId"] for step in steps if step.get("fileId")), None)
    if file_id is None:
        return None, 0
    with server.client(user.token) as api:
        answer = api.get(f"/files/{file_id}/multipart")
    return file_id, len(answer.json()["uploadedParts"]) if answer.status_code == 200 else 0


def kill_once_parts_are_up(
    cli: Cli, server: Server, user: User, args: list[str]
) -> tuple[str, int]:
    uploads = Path(cli.env["XDG_STATE_HOME"]) / "sharebox" / "uploads"
    process = cli.start(*args)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            states = list(uploads.glob("*.jsonl"))
            file_id, parts = uploaded_parts(server, user, states[0]) if states else (None, 0)
            if file_id and parts >= 1:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
                return file_id, parts
            time.sleep(0.02)
        raise AssertionError(f"no part seen before it ended: {process.communicate(timeout=10)}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_an_upload_killed_mid_way_resumes_sending_only_the_missing_parts(
    cli: Cli, server: Server, logged_in: User, tmp_path: Path
) -> None:
    data = os.urandom(40 * MIB)  # 8 parts of 5 MiB
    path = write(tmp_path / "huge.bin", data)
    args = ["upload", str(path), "--parallel", "1"]

    file_id, parts_before = kill_once_parts_are_up(cli, server, logged_in, args)

    [item] = cli.json(*args)["items"]
    assert item["fileId"] == file_id and item["resumed"] is True
    assert 1 <= item["partsSent"] <= 8 - parts_before
    assert list((Path(cli.env["XDG_STATE_HOME"]) / "sharebox" / "uploads").glob("*")) == []
    cli("download", file_id, "-o", str(tmp_path / "back.bin"))
    assert (tmp_path / "back.bin").read_bytes() == data
    with httpx.Client(base_url=server.url, headers=logged_in.headers) as api:
        usage: dict[str, Any] = api.get("/users/me").json()["usage"]
    assert usage == {"files": 1, "bytes": len(data)}
