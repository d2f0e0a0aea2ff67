"""Uploads: one presigned POST for small files, parallel parts for large ones, resumable."""

import functools
import hashlib
import mimetypes
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from app.cli import retries
from app.cli.api import Api
from app.cli.errors import CliError
from app.cli.progress import Bars
from app.cli.state import Job

MIB = 1024**2
MULTIPART_THRESHOLD = 8 * MIB  # as boto3's upload_file
READ_BYTES = MIB


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(READ_BYTES):
            digest.update(block)
    return digest.hexdigest()


def part_body(descriptor: int, offset: int, length: int) -> Iterator[bytes]:
    """A part read from disk a block at a time as it is sent. Not the whole part in hand: each
    request sits in httpx's reference cycles until the garbage collector gets to it, so whole
    parts piled up (a 1 GiB upload peaked at 260 MB; `make bench`)."""
    end = offset + length
    while offset < end:
        block = os.pread(descriptor, min(READ_BYTES, end - offset), offset)
        if not block:
            raise CliError("the file shrank during the upload", "file_changed")
        offset += len(block)
        yield block


def media_type(path: Path) -> str:
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


@dataclass
class Uploader:
    api: Api
    s3: httpx.Client  # presigned URLs only: never the API's token
    bars: Bars
    job: Job
    parallel: int = 8

    def upload(self, path: Path, folder_id: str | None) -> dict[str, Any]:
        """The File `path` became (`resumed`/`partsSent` say what this run did)."""
        done = self.job.entry(path)
        if done.get("file"):
            return {**done["file"], "resumed": True, "partsSent": 0}
        size = path.stat().st_size
        task = self.bars.file(path.name, size)
        declared = {
            "fileName": path.name,
            "contentType": media_type(path),
            "size": size,
            "folderId": folder_id,
            "sha256": done.get("sha256") or sha256_of(path),
        }
        if size >= MULTIPART_THRESHOLD:
            file, sent = self._multipart(path, declared, done.get("fileId"), task)
        else:
            file, sent = self._single(path, declared, task), 1
        self.bars.finish(task)
        if file["status"] == "rejected":
            raise CliError(
                f"{path}: the server rejected it ({file.get('rejectionReason')})", "rejected"
            )
        self.job.record(path, file=file)
        return {**file, "resumed": bool(done.get("fileId")), "partsSent": sent}

    def _single(self, path: Path, declared: dict[str, Any], task: Any) -> dict[str, Any]:
        created = self.api.call("POST", "/files/upload-url", json=declared)
        form = created["upload"]
        with path.open("rb") as source:

            def post() -> httpx.Response:
                source.seek(0)
                fields = {"file": (path.name, source, declared["contentType"])}
                return self.s3.post(form["url"], data=form["fields"], files=fields)

            landed = retries.send(post, idempotent=True)
        if landed.is_error:
            raise CliError(
                f"{path}: storage refused the upload ({landed.status_code})", "upload_failed"
            )
        self.bars.advance(task, declared["size"])
        file: dict[str, Any] = self.api.call("POST", f"/files/{created['fileId']}/complete")
        return file

    def _multipart(
        self, path: Path, declared: dict[str, Any], file_id: str | None, task: Any
    ) -> tuple[dict[str, Any], int]:
        if file_id:
            resumed = self._resume(file_id)
            if resumed is None:  # finished before the interruption, or gone: start again
                file_id = None
            elif "fileId" in resumed:
                return resumed, 0
            else:
                uploaded, urls = resumed["uploadedParts"], resumed["parts"]
                part_size = self.job.entry(path)["partSize"]
        if not file_id:
            created = self.api.call("POST", "/files/multipart", json=declared)
            file_id, part_size = created["fileId"], created["partSize"]
            uploaded, urls = [], created["parts"]
            self.job.record(path, fileId=file_id, partSize=part_size, sha256=declared["sha256"])
        self.bars.advance(task, sum(part["size"] for part in uploaded))
        refresh = _UrlRefresher(lambda: self.api.get(f"/files/{file_id}/multipart")["parts"])
        sent = self._send_parts(path, urls, part_size, declared["size"], task, refresh)
        parts = [{"partNumber": p["partNumber"], "etag": p["etag"]} for p in uploaded] + sent
        parts.sort(key=lambda part: part["partNumber"])
        body = {"parts": parts}
        file: dict[str, Any] = self.api.call(
            "POST", f"/files/{file_id}/multipart/complete", json=body
        )
        return file, len(sent)

    def _resume(self, file_id: str) -> dict[str, Any] | None:
        """The upload's parts so far; the File if it was completed already; None if gone."""
        try:
            answer: dict[str, Any] = self.api.get(f"/files/{file_id}/multipart")
            return answer
        except CliError as exc:
            if exc.code not in {"not_multipart", "file_not_found"}:
                raise
        try:
            file: dict[str, Any] = self.api.get(f"/files/{file_id}")
        except CliError as exc:
            if exc.code != "file_not_found":
                raise
            return None
        return file if file.get("status") == "available" else None

    def _send_parts(
        self,
        path: Path,
        urls: list[dict[str, Any]],
        part_size: int,
        size: int,
        task: Any,
        refresh: "_UrlRefresher",
    ) -> list[dict[str, Any]]:
        descriptor = os.open(path, os.O_RDONLY)
        stop = threading.Event()

        def send(part: dict[str, Any]) -> dict[str, Any]:
            if stop.is_set():
                raise CliError("stopped", "interrupted")
            number = part["partNumber"]
            offset = (number - 1) * part_size
            length = min(part_size, size - offset)
            body = functools.partial(part_body, descriptor, offset, length)
            response = self._put(part["url"], body, length, refresh, number)
            self.bars.advance(task, length)
            return {"partNumber": number, "etag": response.headers["etag"].strip('"')}

        pool = ThreadPoolExecutor(max_workers=max(1, self.parallel))
        try:
            return list(pool.map(send, urls))
        finally:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            os.close(descriptor)

    def _put(
        self,
        url: str,
        body: Callable[[], Iterator[bytes]],
        length: int,
        refresh: "_UrlRefresher",
        number: int,
    ) -> httpx.Response:
        for _ in range(3):
            response = retries.send(
                functools.partial(self._put_once, url, body, length), idempotent=True
            )
            if response.status_code != 403:  # an expired URL: a fresh one, and again
                break
            url = refresh.url(number, url)
        if response.is_error:
            detail = f"storage refused part {number} ({response.status_code})"
            raise CliError(detail, "upload_failed", response.status_code)
        return response

    def _put_once(
        self, url: str, body: Callable[[], Iterator[bytes]], length: int
    ) -> httpx.Response:
        # An explicit length: a streamed body would otherwise go chunked, which S3 refuses.
        headers = {"Content-Length": str(length)}
        return self.s3.put(url, content=body(), headers=headers)


class _UrlRefresher:
    """Fresh part URLs from the API, fetched once for all the threads whose URL expired."""

    def __init__(self, fetch: Callable[[], list[dict[str, Any]]]) -> None:
        self._fetch, self._lock = fetch, threading.Lock()
        self._urls: dict[int, str] = {}

    def url(self, number: int, expired: str) -> str:
        with self._lock:
            if self._urls.get(number, expired) == expired:
                self._urls = {p["partNumber"]: p["url"] for p in self._fetch()}
            return str(self._urls.get(number, expired))
