"""Downloads: parallel ranges for large files into a temporary file beside the destination,
checked against the uploader's SHA-256 (else S3's MD5 ETag) before it takes the real name.
An interruption or a mismatch leaves the destination as it was; a connection lost mid-way
picks up where it stopped."""

import functools
import hashlib
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from app.cli import retries
from app.cli.api import Api
from app.cli.errors import CliError
from app.cli.transfer import Transfer

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
    name, got = file["fileName"], path.stat().st_size
    if got != file["size"]:
        raise CliError(f"{name}: got {got} bytes, not {file['size']}", "checksum_mismatch")
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
        detail = f"{name}: received bytes differ from those uploaded ({algorithm})"
        raise CliError(detail, "checksum_mismatch")
    return algorithm


class Downloader(Transfer):
    def download(self, file: dict[str, Any], destination: Path) -> dict[str, Any]:
        if file.get("status") != "available":
            status = file.get("status")
            raise CliError(f"{file['fileName']} is {status}, not available", "file_not_available")
        destination.parent.mkdir(parents=True, exist_ok=True)
        # A short name: the file's own may already be at the length limit.
        partial = destination.with_name(f".sharebox-{secrets.token_hex(6)}.part")
        task = self.bars.file(file["fileName"], file["size"])
        try:
            url = _Url(self.api, file["fileId"])
            with partial.open("wb") as out:
                descriptor, size = out.fileno(), file["size"]
                os.ftruncate(descriptor, size)
                if size >= 2 * CHUNK and self.parallel > 1:
                    etag = self._ranges(url, descriptor, size, task)
                else:
                    etag = self._range(url, descriptor, 0, size, task)
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
            answer = functools.partial(self.s3.send, request, stream=True)
            response = retries.send(answer, idempotent=True, stop=self.stop)
            if response.status_code != 403:
                break
            response.close()
            current = url.renew(current)
        if response.is_error:
            response.close()
            status = response.status_code
            raise CliError(f"storage refused the download ({status})", "download_failed", status)
        try:
            yield response
        finally:
            response.close()

    def _range(self, url: _Url, descriptor: int, start: int, end: int, task: Any) -> str | None:
        """Bytes [start, end) into the file at their place; a lost connection resumes from the
        last byte written. The object's ETag."""
        offset, etag = start, None
        whole = start == 0 and end == os.fstat(descriptor).st_size
        for attempt in range(retries.ATTEMPTS):
            if self.stop.is_set():
                raise CliError("stopped", "interrupted")
            headers = {} if whole and offset == 0 else {"Range": f"bytes={offset}-{end - 1}"}
            try:
                with self._get(url, headers) as response:
                    if headers and response.status_code != 206:
                        status = response.status_code
                        raise CliError(f"storage ignored the range ({status})", "download_failed")
                    etag = _etag(response)
                    for block in response.iter_bytes(READ_BYTES):
                        os.pwrite(descriptor, block, offset)
                        offset += len(block)
                        self.bars.advance(task, len(block))
            except httpx.TransportError as exc:
                if offset == end and end > start:  # everything came; only the close failed
                    return etag
                if attempt + 1 == retries.ATTEMPTS or self.stop.is_set():
                    raise CliError(f"the connection failed: {exc}", "connection_failed") from exc
                time.sleep(retries.backoff(attempt))
                continue
            if offset != end:
                raise CliError("storage sent a short answer", "download_failed")
            return etag
        raise AssertionError("unreachable")

    def _ranges(self, url: _Url, descriptor: int, size: int, task: Any) -> str | None:
        failed = threading.Event()

        def fetch(start: int) -> str | None:
            if failed.is_set() or self.stop.is_set():
                raise CliError("stopped", "interrupted")
            try:
                return self._range(url, descriptor, start, min(start + CHUNK, size), task)
            except BaseException:
                failed.set()
                raise

        etags = set(self.side_by_side(fetch, range(0, size, CHUNK), failed))
        if len(etags) > 1:  # replaced by a new version mid-way: parts of two objects
            raise CliError("the file changed during the download: try again", "file_changed")
        return etags.pop()


def _etag(response: httpx.Response) -> str | None:
    value = response.headers.get("etag")
    return value.strip('"') if value else None
