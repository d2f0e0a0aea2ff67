"""Uploads: one presigned POST for small files, parallel parts for large ones, resumable."""

import contextlib
import functools
import hashlib
import mimetypes
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from app.cli import retries
from app.cli.errors import CliError, NotFound
from app.cli.state import Job
from app.cli.transfer import Transfer

MIB = 1024**2
MULTIPART_THRESHOLD = 8 * MIB  # as boto3's upload_file
READ_BYTES = MIB
KEPT = ("fileId", "fileName", "size", "status", "sha256", "folderId")  # of a File, for resume


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


def part_count(size: int, part_size: int) -> int:
    return max(1, -(-size // part_size))


@dataclass(frozen=True)
class _Sending:
    """One file on its way: what was declared, what the resume log says was done, its bar, and
    its size and mtime at the start (it must still have them to be completed)."""

    path: Path
    declared: dict[str, Any]
    entry: dict[str, Any]
    task: Any
    start: dict[str, int]


@dataclass
class Uploader(Transfer):
    job: Job = field(kw_only=True)

    def upload(self, path: Path, folder_id: str | None) -> dict[str, Any]:
        """The File `path` became (`resumed`/`partsSent` say what this run did)."""
        entry = self.job.entry(path)
        if entry.get("done"):
            return {**entry["file"], "resumed": True, "partsSent": 0}
        self._abandon_older(path, entry)
        start = Job.identity(path)
        task = self.bars.file(path.name, start["size"])
        declared = {
            "fileName": path.name,
            "contentType": media_type(path),
            "size": start["size"],
            "folderId": folder_id,
            "sha256": entry.get("sha256") or sha256_of(path),
        }
        sending = _Sending(path, declared, entry, task, start)
        if start["size"] >= MULTIPART_THRESHOLD:
            file, sent = self._multipart(sending)
        else:
            file, sent = self._single(sending)
        self.bars.finish(task)
        if file["status"] == "rejected":
            reason = file.get("rejectionReason")
            raise CliError(f"{path}: the server rejected it ({reason})", "rejected")
        self.job.record(path, done=True, file={k: file.get(k) for k in KEPT})
        return {**file, "resumed": bool(entry.get("fileId")), "partsSent": sent}

    def _abandon_older(self, path: Path, entry: dict[str, Any]) -> None:
        """A multipart upload begun for what the file held before: aborted, its quota back."""
        before = self.job.previous(path)
        if not entry and before.get("kind") == "multipart" and not before.get("done"):
            with contextlib.suppress(CliError):
                self.api.call("DELETE", f"/files/{before['fileId']}/multipart")

    def _unchanged(self, sending: _Sending, file_id: str, multipart: bool) -> None:
        """Refuse to complete what the file no longer holds (its declared SHA-256 would lie)."""
        if Job.identity(sending.path) == sending.start:
            return
        if multipart:
            with contextlib.suppress(CliError):
                self.api.call("DELETE", f"/files/{file_id}/multipart")
        detail = f"{sending.path} changed during the upload: run it again"
        raise CliError(detail, "file_changed")

    def _single(self, sending: _Sending) -> tuple[dict[str, Any], int]:
        path, declared, entry = sending.path, sending.declared, sending.entry
        if entry.get("kind") == "single":  # interrupted after the form was sent, maybe landed
            try:
                landed: dict[str, Any] = self.api.call("POST", f"/files/{entry['fileId']}/complete")
                return landed, 0
            except CliError as exc:
                if exc.code not in {"upload_missing", "file_not_found"}:
                    raise
            # It never landed: the pending file goes (quota back, no stray row), a new one comes.
            with contextlib.suppress(NotFound):
                self.api.call("DELETE", f"/files/{entry['fileId']}")
        created = self.api.call("POST", "/files/upload-url", json=declared)
        self.job.record(path, kind="single", fileId=created["fileId"], sha256=declared["sha256"])
        form = created["upload"]
        with path.open("rb") as source:

            def post() -> httpx.Response:
                source.seek(0)
                fields = {"file": (path.name, source, declared["contentType"])}
                return self.s3.post(form["url"], data=form["fields"], files=fields)

            sent = retries.send(post, idempotent=True, stop=self.stop)
        if sent.is_error:
            detail = f"{path}: storage refused the upload ({sent.status_code})"
            raise CliError(detail, "upload_failed", sent.status_code)
        self.bars.advance(sending.task, declared["size"])
        self._unchanged(sending, created["fileId"], multipart=False)
        file: dict[str, Any] = self.api.call("POST", f"/files/{created['fileId']}/complete")
        return file, 1

    def _multipart(self, sending: _Sending) -> tuple[dict[str, Any], int]:
        path, declared, entry, task = sending.path, sending.declared, sending.entry, sending.task
        size = declared["size"]
        resumed = self._resume(entry["fileId"]) if entry.get("kind") == "multipart" else None
        if resumed is not None and "fileId" in resumed:  # completed before the interruption
            return resumed, 0
        if resumed is not None:
            file_id, part_size = entry["fileId"], resumed["partSize"]
            uploaded, urls = resumed["uploadedParts"], resumed["parts"]
        else:
            created = self.api.call("POST", "/files/multipart", json=declared)
            file_id, part_size = created["fileId"], created["partSize"]
            uploaded, urls = [], created["parts"]
            self.job.record(path, kind="multipart", fileId=file_id, sha256=declared["sha256"])
        self.bars.advance(task, sum(part["size"] for part in uploaded))
        status = functools.partial(self.api.get, f"/files/{file_id}/multipart")
        refresh = _UrlRefresher(lambda: status()["parts"])
        parts = {p["partNumber"]: p["etag"] for p in uploaded}
        sent = 0
        while len(parts) < part_count(size, part_size):
            # The server hands out part URLs a batch at a time: the next batch once one is sent.
            missing = [p for p in urls if p["partNumber"] not in parts] or [
                p for p in status()["parts"] if p["partNumber"] not in parts
            ]
            if not missing:
                raise CliError(f"{path}: no URLs for the missing parts", "upload_failed")
            done = self._send_parts(path, missing, part_size, size, task, refresh)
            parts |= done
            sent += len(done)
            urls = []
        self._unchanged(sending, file_id, multipart=True)
        body = {"parts": [{"partNumber": n, "etag": parts[n]} for n in sorted(parts)]}
        return self._complete(file_id, body), sent

    def _complete(self, file_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """S3 may take a while to assemble the parts, longer than a connection or the API
        waits: after a failure, ask the file how it stands before trying again."""
        for attempt in range(retries.ATTEMPTS):
            try:
                done: dict[str, Any] = self.api.call(
                    "POST", f"/files/{file_id}/multipart/complete", json=body
                )
                return done
            except CliError as exc:
                unsure = exc.code in {"connection_failed", "not_multipart"}
                if not (unsure or (exc.status or 0) >= 500) or attempt + 1 == retries.ATTEMPTS:
                    raise
            file: dict[str, Any] = self.api.get(f"/files/{file_id}")
            if file["status"] != "pending":
                return file
            time.sleep(retries.backoff(attempt + 2))
        raise AssertionError("unreachable")

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
    ) -> dict[int, str]:
        descriptor = os.open(path, os.O_RDONLY)
        failed = threading.Event()

        def send(part: dict[str, Any]) -> tuple[int, str]:
            if failed.is_set() or self.stop.is_set():
                raise CliError("stopped", "interrupted")
            number = part["partNumber"]
            offset = (number - 1) * part_size
            length = min(part_size, size - offset)
            body = functools.partial(part_body, descriptor, offset, length)
            try:
                response = self._put(part["url"], body, length, refresh, number)
            except BaseException:
                failed.set()
                raise
            self.bars.advance(task, length)
            return number, response.headers["etag"].strip('"')

        try:
            return dict(self.side_by_side(send, urls, failed))
        finally:
            os.close(descriptor)

    def _put(
        self,
        url: str,
        body: Callable[[], Iterator[bytes]],
        length: int,
        refresh: "_UrlRefresher",
        number: int,
    ) -> httpx.Response:
        # An explicit length: a streamed body would otherwise go chunked, which S3 refuses.
        headers = {"Content-Length": str(length)}
        for _ in range(3):

            def put(url: str = url) -> httpx.Response:  # the body read afresh for each try
                return self.s3.put(url, content=body(), headers=headers)

            response = retries.send(put, idempotent=True, stop=self.stop)
            if response.status_code != 403:  # an expired URL: a fresh one, and again
                break
            url = refresh.url(number, url)
        if response.is_error:
            detail = f"storage refused part {number} ({response.status_code})"
            raise CliError(detail, "upload_failed", response.status_code)
        return response


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
