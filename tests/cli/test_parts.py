"""Parts and completion without a server: a retried part sends its whole body again, from
disk; a completion whose outcome is unsure is read back before it is tried again."""

import functools
import os
from pathlib import Path

import httpx
import pytest

from app.cli.errors import CliError
from app.cli.progress import Bars
from app.cli.upload import Uploader, part_body

MIB = 1024**2


def test_a_retried_part_reads_its_body_from_disk_again(tmp_path: Path) -> None:
    source = tmp_path / "part.bin"
    data = os.urandom(3 * MIB + 7)
    source.write_bytes(data)
    bodies: list[bytes] = []

    def storage(request: httpx.Request) -> httpx.Response:
        bodies.append(request.read())
        if len(bodies) == 1:
            return httpx.Response(503)
        return httpx.Response(200, headers={"ETag": '"d41d8cd98f00b204e9800998ecf8427e"'})

    s3 = httpx.Client(transport=httpx.MockTransport(storage))
    uploader = Uploader(api=None, s3=s3, bars=Bars(False, 0, "upload"), job=None)  # type: ignore[arg-type]
    descriptor = os.open(source, os.O_RDONLY)
    try:
        body = functools.partial(part_body, descriptor, 0, len(data))
        answer = uploader._put("https://s3.test/part", body, len(data), None, 1)  # type: ignore[arg-type]
    finally:
        os.close(descriptor)

    assert answer.status_code == 200
    assert bodies == [data, data]


class Completing:
    """An Api stand-in: the completion's answers in turn, and the file's status meanwhile."""

    def __init__(self, answers: list[object], statuses: list[str]) -> None:
        self.answers, self.statuses = answers, statuses
        self.calls: list[str] = []

    def call(self, method: str, path: str, **_: object) -> object:
        self.calls.append(method)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def get(self, path: str) -> dict[str, str]:
        self.calls.append("GET")
        return {"fileId": "f", "status": self.statuses.pop(0)}


def completing(api: Completing) -> Uploader:
    return Uploader(api=api, s3=None, bars=Bars(False, 0, "upload"), job=None)  # type: ignore[arg-type]


def test_a_completion_lost_on_the_way_is_read_back_not_sent_twice() -> None:
    api = Completing([CliError("reset", "connection_failed")], ["available"])

    done = completing(api)._complete("f", {"parts": []})

    assert done["status"] == "available"
    assert api.calls == ["POST", "GET"]


def test_a_completion_still_assembling_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.cli.upload.time.sleep", lambda _: None)
    file = {"fileId": "f", "status": "available"}
    api = Completing([CliError("busy", "service_unavailable", 503), file], ["pending"])

    assert completing(api)._complete("f", {"parts": []}) == file
    assert api.calls == ["POST", "GET", "POST"]


def test_a_refused_completion_is_not_tried_again() -> None:
    api = Completing([CliError("bad parts", "invalid_parts", 400)], [])

    with pytest.raises(CliError) as refused:
        completing(api)._complete("f", {"parts": []})

    assert refused.value.code == "invalid_parts"
    assert api.calls == ["POST"]
