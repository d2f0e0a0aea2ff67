"""Downloads: parallel ranges for large files into a temporary file beside the destination,
checked against the uploader's SHA-256 (else S3's MD5 ETag) before it takes the real name.
An interruption or a mismatch leaves the destination as it was."""

import functools
import hashlib
import os
import re
import secrets
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from app.cli import retries
from app.cli.api import Api
from app.cli.errors import CliError
from app.cli.progress import Bars

MIB = 1024**2
CHUNK = 8 * MIB  # boto3's download_file part size
READ_BYTES = MIB
PLAIN_MD5 = re.compile(r"[0-9a-f]{32}")


class _Url:
    """The file's presigned URL, replaced once for every thread when it expires mid-download."""

    def __init__(self, api: Api, file_id: str) -> None:
        self._api, self._file_id, self._lock = api, file_id, threading.Lock()
        self.value = self._fresh()

    def _fresh(self) -> str:
        return str(self._api.get(f"/files/{self._file_id}/download-url")["downloadUrl"])

    def renew(self, expired: str) -> str:
        with self._lock:
            if self.value == expired:
                self.value = self._fresh()
            return self.value


def checked(path: Path, file: dict[str, Any], etag: str | None) -> str:
    """How the bytes at `path` were checked ("sha256", "md5" or "size"), or CliError."""
    if path.stat().st_size != file["size"]:
        raise CliError(
            f"{file['fileName']}: got {path.stat().st_size} bytes, not {file['size']}",
            "checksum_mismatch",
        )
    expected = file.get("sha256")
    algorithm = "sha256" if expected else "md5"
    if not expected:
        if not etag or not PLAIN_MD5.fullmatch(etag):
            return "size"  # a multipart object's ETag is no digest of its bytes
        expected = etag
    digest = hashlib.new(algorithm)
    with path.open("rb") as source:
        while block := source.read(READ_BYTES):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise CliError(
            f"{file['fileName']}: received bytes differ from those uploaded ({algorithm})",
            "checksum_mismatch",
        )
    return algorithm


@dataclass
class Downloader:
    api: Api
    s3: httpx.Client  # presigned URLs only: never the API's token
    bars: Bars
    parallel: int = 8

    def download(self, file: dict[str, Any], destination: Path) -> dict[str, Any]:
        if file.get("status") != "available":
            raise CliError(
                f"{file['fileName']} is {file.get('status')}, not available", "file_not_available"
            )
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.sharebox-part")
        task = self.bars.file(file["fileName"], file["size"])
        try:
            url = _Url(self.api, file["fileId"])
            with partial.open("wb") as out:
                if file["size"] >= 2 * CHUNK and self.parallel > 1:
                    etag = self._ranges(url, out.fileno(), file["size"], task)
                else:
                    etag = self._whole(url, out, task)
            verified = checked(partial, file, etag)
            os.replace(partial, destination)
        finally:
            partial.unlink(missing_ok=True)
            self.bars.finish(task)
        return {
            "fileId": file["fileId"],
            "path": str(destination),
            "size": file["size"],
            "verified": verified,
        }

    @contextmanager
    def _get(self, url: _Url, headers: dict[str, str]) -> Iterator[httpx.Response]:
        """The streamed answer of a GET of the URL (renewed when it expired), closed after."""
        current = url.value
        for _ in range(3):
            request = self.s3.build_request("GET", current, headers=headers)
            response = retries.send(
                functools.partial(self.s3.send, request, stream=True), idempotent=True
            )
            if response.status_code != 403:
                break
            response.close()
            current = url.renew(current)
        if response.is_error:
            response.close()
            raise CliError(
                f"storage refused the download ({response.status_code})",
                "download_failed",
                response.status_code,
            )
        try:
            yield response
        finally:
            response.close()

    def _whole(self, url: _Url, out: Any, task: Any) -> str | None:
        with self._get(url, {}) as response:
            for block in response.iter_bytes(READ_BYTES):
                out.write(block)
                self.bars.advance(task, len(block))
            return _etag(response)

    def _ranges(self, url: _Url, descriptor: int, size: int, task: Any) -> str | None:
        os.ftruncate(descriptor, size)
        stop = threading.Event()

        def fetch(start: int) -> str | None:
            if stop.is_set():
                raise CliError("stopped", "interrupted")
            end = min(start + CHUNK, size) - 1
            with self._get(url, {"Range": f"bytes={start}-{end}"}) as response:
                if response.status_code != 206:
                    raise CliError(
                        f"storage ignored the range ({response.status_code})", "download_failed"
                    )
                offset = start
                for block in response.iter_bytes(READ_BYTES):
                    os.pwrite(descriptor, block, offset)
                    offset += len(block)
                    self.bars.advance(task, len(block))
                if offset != end + 1:
                    raise CliError("storage sent a short range", "download_failed")
                return _etag(response)

        pool = ThreadPoolExecutor(max_workers=self.parallel)
        try:
            etags = set(pool.map(fetch, range(0, size, CHUNK)))
        finally:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
        if len(etags) > 1:  # replaced by a new version mid-way: parts of two objects
            raise CliError("the file changed during the download: try again", "file_changed")
        return etags.pop()


def _etag(response: httpx.Response) -> str | None:
    value = response.headers.get("etag")
    return value.strip('"') if value else None
