"""The `sharebox` CLI's transfers against boto3's, on one `make run` server (issue #19).

The demo user logs in through the CLI, its config and state in a throwaway directory. Each
CLI run and each boto3 run (`bench/cli_boto3.py`, to the same emulator and bucket, with the
same part size and concurrency) is a child process, so both pay an interpreter start; the
clock runs from spawn to exit (`bench/measured.py`, which also reads the child's own peak
memory). Runs alternate in pairs; the ratio is the median per-pair ratio of wall times, CLI
over boto3, so the issue's "throughput at least 0.8x boto3's" is a time ratio of at most
1.25. The peak memory row is the CLI's max RSS for a 1 GiB upload.
`python -m bench.cli` runs these rows alone and prints them as JSON.
"""

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from app.cli.download import CHUNK
from app.files.multipart import part_size_for
from bench.common import PYTHON, ROOT, Measure, alternate, median, pair_ratio
from bench.server import DEMO_EMAIL, DEMO_PASSWORD, LocalServer, local_server

PAIRS = 4
MIB = 1024**2
SIZE = 256 * MIB
LARGE = 1024 * MIB
PARALLEL = 8  # the CLI's --parallel default
THROUGHPUT_TARGET = 0.8  # of boto3's: a time ratio of 1 / 0.8
MEMORY_LIMIT_MB = 150.0
SHAREBOX = Path(PYTHON).with_name("sharebox")
MEASURED = ROOT / "bench" / "measured.py"
# The server as `make run` starts it, but without the upload worker: under `make run` it
# shares the process (and GIL) of the API and moto, and the ListObjectVersions it makes per
# upload event is served by moto deep-copying every object in the bucket (1 s per 256 MiB
# object, GBs of temporary files), which lands on the CLI's POST .../complete and never on
# boto3's. On AWS it is another Lambda; the API's complete verifies the upload and makes the
# file available itself.
SERVER_SETTINGS = {"QUEUE_URL": ""}


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the child's own max RSS (bench/measured.py)
    stdout: str


def run(argv: list[str], env: dict[str, str], stdin: str = "") -> Run:
    """Spawn to exit of one child, with its own peak memory; RuntimeError if it failed."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        done = subprocess.run(
            [PYTHON, "-I", "-S", str(MEASURED), report.name, *argv],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"{argv[:4]} exited {done.returncode}: {done.stderr[-2000:]}")
        measured = json.loads(Path(report.name).read_text())
    return Run(measured["seconds"], measured["peak_kib"] * 1024 / 1e6, done.stdout)


def random_file(path: Path, size: int) -> Path:
    with path.open("wb") as out:
        for _ in range(size // MIB):
            out.write(os.urandom(MIB))
    return path


@dataclass
class Sides:
    """The CLI (logged in) and boto3 (the server's bucket), with where their files go."""

    server: LocalServer
    env: dict[str, str]
    bucket: str
    work: Path

    def cli(self, *arguments: str) -> Run:
        return run([str(SHAREBOX), "--json", *arguments], self.env)

    def cli_upload(self, path: Path) -> tuple[Run, str]:
        done = self.cli("upload", "-q", "--parallel", str(PARALLEL), str(path))
        file_id: str = json.loads(done.stdout)["items"][0]["fileId"]
        return done, file_id

    def cli_download(self, file_id: str) -> Run:
        target = self.work / "cli.out"
        try:
            return self.cli(
                "download", "-q", "--parallel", str(PARALLEL), "-o", str(target), file_id
            )
        finally:
            target.unlink(missing_ok=True)

    def boto3(self, operation: str, key: str, path: Path, chunk: int) -> Run:
        argv = [PYTHON, "-m", "bench.cli_boto3", operation, self.server.moto_url, self.bucket]
        return run([*argv, key, str(path), str(chunk), str(PARALLEL)], self.env)


def _s3(server: LocalServer) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=server.moto_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@contextmanager
def sides() -> Iterator[Sides]:
    with (
        tempfile.TemporaryDirectory(prefix="sharebox-bench-cli-") as work,
        local_server("cli", settings=SERVER_SETTINGS) as server,
    ):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SHAREBOX_"))}
        env |= {
            "SHAREBOX_URL": server.base_url,
            "XDG_CONFIG_HOME": f"{work}/config",
            "XDG_STATE_HOME": f"{work}/state",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "PYTHONPATH": str(ROOT),
        }
        (bucket,) = [b["Name"] for b in _s3(server).list_buckets()["Buckets"]]
        found = Sides(server, env, bucket, Path(work))
        run([str(SHAREBOX), "login", "--email", DEMO_EMAIL], env, stdin=DEMO_PASSWORD + "\n")
        yield found


def _throughput(seconds: float, size: int) -> float:
    return size / seconds / 1e6


def transfer_measures(found: Sides) -> list[Measure]:
    source = random_file(found.work / "256MiB.bin", SIZE)
    part = part_size_for(SIZE)
    keys = [f"bench/boto3-{n}" for n in range(PAIRS)]
    uploads: list[tuple[Run, str]] = []
    boto_uploads: list[Run] = []

    def cli_up() -> float:
        uploads.append(found.cli_upload(source))
        return uploads[-1][0].seconds

    def boto_up() -> float:
        boto_uploads.append(found.boto3("upload", keys[len(boto_uploads)], source, part))
        return boto_uploads[-1].seconds

    cli_times, boto_times = alternate(cli_up, boto_up, PAIRS)
    source.unlink()
    file_id = uploads[0][1]
    fetched = found.work / "boto3.out"

    def boto_down() -> float:
        try:
            return found.boto3("download", keys[0], fetched, CHUNK).seconds
        finally:
            fetched.unlink(missing_ok=True)

    cli_down, boto_down_times = alternate(
        lambda: found.cli_download(file_id).seconds, boto_down, PAIRS
    )
    s3 = _s3(found.server)
    for key in keys:
        s3.delete_object(Bucket=found.bucket, Key=key)
    peaks = {
        "cli_peak_mb": round(max(r.peak_mb for r, _ in uploads), 1),
        "boto3_peak_mb": round(max(r.peak_mb for r in boto_uploads), 1),
    }
    return [
        _versus(
            "upload",
            "upload_file",
            f"{part // MIB} MiB parts",
            cli_times,
            boto_times,
            peaks,
        ),
        _versus(
            "download", "download_file", f"{CHUNK // MIB} MiB ranges", cli_down, boto_down_times
        ),
    ]


def _versus(
    verb: str,
    boto3_call: str,
    pieces: str,
    cli_times: list[float],
    boto_times: list[float],
    extra: dict[str, float] | None = None,
) -> Measure:
    """One transfer row: the CLI's wall times against boto3's, as the throughput target says."""
    ratio = pair_ratio(cli_times, boto_times)
    cli_mb_s, boto_mb_s = (_throughput(median(times), SIZE) for times in (cli_times, boto_times))
    return Measure(
        name=f"CLI {verb}, 256 MiB: time vs boto3 {boto3_call}",
        value=median(cli_times),
        floor=median(boto_times),
        unit="s",
        target=1 / THROUGHPUT_TARGET,
        floor_name=f"boto3 {boto3_call}, {pieces}, {PARALLEL} threads",
        notes=(
            f"{cli_mb_s:.0f} vs {boto_mb_s:.0f} MB/s: {1 / ratio:.2f}x boto3's throughput"
            f" (target ≥ {THROUGHPUT_TARGET}x); median of {PAIRS} alternating pairs,"
            " spawn to exit of each process"
        ),
        paired_ratio=ratio,
        extra={
            "cli_s": [round(s, 3) for s in cli_times],
            "boto3_s": [round(s, 3) for s in boto_times],
            **(extra or {}),
        },
    )


def memory_measure(found: Sides, small_peak_mb: float) -> Measure:
    source = random_file(found.work / "1GiB.bin", LARGE)
    try:
        done, _ = found.cli_upload(source)
    finally:
        source.unlink()
    return Measure(
        name="CLI upload, 1 GiB: peak memory",
        value=round(done.peak_mb, 1),
        floor=MEMORY_LIMIT_MB,
        unit="MB",
        target=1.0,
        floor_name=f"{MEMORY_LIMIT_MB:g} MB (the issue's bound)",
        notes=(
            f"max RSS of the CLI process (wait4); {small_peak_mb:g} MB for 256 MiB "
            f"(it streams from disk); upload took {done.seconds:.1f} s"
        ),
    )


def measure() -> list[Measure]:
    with sides() as found:
        rows = transfer_measures(found)
        rows.append(memory_measure(found, rows[0].extra["cli_peak_mb"]))
    return rows


if __name__ == "__main__":
    print(json.dumps([m.as_dict() for m in measure()], indent=2))
