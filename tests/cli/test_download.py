"""Downloads: checked against what was uploaded, and never leave a partial file behind."""

import hashlib
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli.api import Api
from app.cli.download import Downloader, checked
from app.cli.errors import CliError
from app.cli.progress import Bars
from tests.cli.conftest import Cli, User, interrupt_once, write
from tests.cli.test_api import URL, MemoryStore, tokens

MIB = 1024**2
DATA = b"the bytes that were uploaded"


def described(data: bytes = DATA, **more: Any) -> dict[str, Any]:
    return {"fileId": "f-1", "fileName": "a.bin", "size": len(data), "status": "available", **more}


def test_checked_compares_the_sha256_when_the_server_has_one(tmp_path: Path) -> None:
    path = write(tmp_path / "a.bin", DATA)

    assert checked(path, described(sha256=hashlib.sha256(DATA).hexdigest()), None) == "sha256"
    with pytest.raises(CliError) as raised:
        checked(path, described(sha256=hashlib.sha256(b"other").hexdigest()), None)
    assert raised.value.code == "checksum_mismatch"


def test_checked_falls_back_to_a_plain_md5_etag_then_to_the_size(tmp_path: Path) -> None:
    path = write(tmp_path / "a.bin", DATA)

    assert checked(path, described(), hashlib.md5(DATA).hexdigest()) == "md5"
    assert checked(path, described(), "0123456789abcdef0123456789abcdef-3") == "size"
    with pytest.raises(CliError, match="md5") as raised:
        checked(path, described(), hashlib.md5(b"other").hexdigest())
    assert raised.value.code == "checksum_mismatch"
    with pytest.raises(CliError, match="got 28 bytes, not 29"):
        checked(path, described(DATA + b"!"), None)


def test_other_bytes_from_storage_fail_with_checksum_mismatch_and_leave_no_file(
    tmp_path: Path,
) -> None:
    def api(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"downloadUrl": "https://s3.test/a", "expiresIn": 60})

    def storage(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=DATA.upper(), headers={"ETag": '"abc-2"'})

    downloader = Downloader(
        Api(URL, MemoryStore(tokens()), httpx.Client(transport=httpx.MockTransport(api))),
        httpx.Client(transport=httpx.MockTransport(storage)),
        Bars(enabled=False, total_bytes=len(DATA), verb="download"),
    )
    file = described(sha256=hashlib.sha256(DATA).hexdigest())

    with pytest.raises(CliError) as raised:
        downloader.download(file, tmp_path / "a.bin")

    assert raised.value.code == "checksum_mismatch"
    assert os.listdir(tmp_path) == []


@pytest.mark.e2e
def test_ctrl_c_during_a_large_download_leaves_no_file_behind(
    cli: Cli, logged_in: User, tmp_path: Path
) -> None:
    source = write(tmp_path / "src" / "large.bin", os.urandom(48 * MIB))
    file_id = cli.json("upload", str(source))["items"][0]["fileId"]
    out = tmp_path / "out"
    out.mkdir()

    process = cli.start("download", file_id, "-o", str(out / "large.bin"), "--parallel", "2")
    stderr = interrupt_once(process, lambda: bool(list(out.glob(".sharebox-*.part"))))
    assert process.returncode == 130, stderr
    assert b"interrupted" in stderr
    assert os.listdir(out) == []
