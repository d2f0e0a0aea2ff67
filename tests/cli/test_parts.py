"""A part's PUT without a server: a retried part sends its whole body again, from disk."""

import functools
import os
from pathlib import Path

import httpx

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
