"""upload, download."""

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import click
import httpx

from app.cli import output, paths
from app.cli.api import TIMEOUT, USER_AGENT, Api
from app.cli.context import Context, command
from app.cli.download import Downloader
from app.cli.errors import CliError, UsageError
from app.cli.paths import ROOT, Item
from app.cli.progress import Bars
from app.cli.state import Job
from app.cli.upload import MULTIPART_THRESHOLD, Uploader

T = TypeVar("T")


def storage_client(parallel: int) -> httpx.Client:
    """For presigned URLs: its own pool, as wide as the parallel parts, and no API token."""
    limits = httpx.Limits(max_connections=parallel + 2, max_keepalive_connections=parallel + 2)
    return httpx.Client(timeout=TIMEOUT, limits=limits, headers={"User-Agent": USER_AGENT})


def each(
    work: list[T], run: Callable[[T], dict[str, Any]], small: Callable[[T], bool], parallel: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`run` over `work`: the small ones side by side, the large ones (parallel inside) in turn.
    A failure is recorded and the rest goes on."""
    done: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []

    def attempt(task: T) -> None:
        try:
            done.append(run(task))
        except CliError as exc:
            failed.append(
                {
                    "item": str(task[0] if isinstance(task, tuple) else task),
                    **exc.as_json()["error"],
                }
            )

    pool = ThreadPoolExecutor(max_workers=parallel)
    try:
        list(pool.map(attempt, [task for task in work if small(task)]))
    finally:  # on Ctrl-C: nothing new starts, what is in flight ends
        pool.shutdown(wait=True, cancel_futures=True)
    for task in work:
        if not small(task):
            attempt(task)
    return done, failed


def report(
    context: Context, done: list[dict[str, Any]], failed: list[dict[str, Any]], lines: list[str]
) -> None:
    context.emit({"items": done, "errors": failed}, lines)
    for failure in failed:
        output.warn(f"{failure['item']}: {failure['detail']} ({failure['code']})")
    if failed:
        raise CliError(f"{len(failed)} of {len(done) + len(failed)} failed", failed[0]["code"])


def local_files(api: Api, sources: list[Path], top: Item) -> Iterator[tuple[Path, Item]]:
    """Every file to send and the folder it goes to; folders are made (or found) on the way."""
    made: dict[tuple[str, ...], Item] = {(): top}
    for source in sources:
        if source.is_file():
            yield source, top
            continue
        root = source.resolve()  # `.` or `..` have a name only once resolved
        for here, folders, files in os.walk(root):
            folders.sort()
            parts = Path(here).relative_to(root.parent).parts
            made[parts] = paths.make_folders(api, made[parts[:-1]], [parts[-1]])
            for name in sorted(files):
                if (path := Path(here, name)).is_file():
                    yield path, made[parts]


def register(group: click.Group) -> None:
    parallel_option = click.option(
        "--parallel",
        default=8,
        show_default=True,
        type=click.IntRange(1, 64),
        help="Parts (or files) in flight at once.",
    )
    quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress bars.")

    @command(group)
    @click.argument(
        "sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
    )
    @click.option("--to", "to", help="The folder to upload into (your top level by default).")
    @parallel_option
    @quiet_option
    def upload(
        context: Context, sources: tuple[Path, ...], to: str | None, parallel: int, quiet: bool
    ) -> None:
        """Upload files and whole directories (keeping their structure).

        Interrupted? Run the same command again: what is already up is not sent twice.
        """
        api = context.api
        top = paths.folder(api, to) if to else ROOT
        job = Job(context.url, list(sources), top.id)
        plan = list(local_files(api, list(sources), top))
        total = sum(path.stat().st_size for path, _ in plan)
        bars = Bars(not (quiet or context.json) and output.is_terminal(), total, "upload")
        with storage_client(parallel) as s3, bars:
            uploader = Uploader(api, s3, bars, job, parallel)

            def run(task: tuple[Path, Item]) -> dict[str, Any]:
                path, folder = task
                return {
                    **uploader.upload(path, None if folder.id == ROOT.id else folder.id),
                    "path": str(path),
                }

            try:
                done, failed = each(
                    plan, run, lambda task: task[0].stat().st_size < MULTIPART_THRESHOLD, parallel
                )
            except KeyboardInterrupt:
                output.warn("stopped: run the same command again to send only what is missing")
                raise
        if not failed:
            job.finish()
        lines = [f"{item['path']} -> {item['fileId']}" for item in done]
        report(context, done, failed, lines)

    @command(group)
    @click.argument("target")
    @click.option(
        "-o", "--output", "destination", type=click.Path(path_type=Path), help="Where to save it."
    )
    @parallel_option
    @quiet_option
    def download(
        context: Context, target: str, destination: Path | None, parallel: int, quiet: bool
    ) -> None:
        """Download a file, or a folder with everything below it; every file is checked
        against the checksum of what was uploaded."""
        api = context.api
        item = paths.resolve(api, target)
        name = "sharebox" if item.id == ROOT.id else item.name
        if destination is None:
            destination = Path(name)
        elif destination.is_dir():
            destination = destination / name
        plan = (
            [(item.data, destination)]
            if not item.is_folder
            else list(remote_files(context, item, destination))
        )
        total = sum(file["size"] for file, _ in plan)
        bars = Bars(not (quiet or context.json) and output.is_terminal(), total, "download")
        with storage_client(parallel) as s3, bars:
            downloader = Downloader(api, s3, bars, parallel)
            done, failed = each(
                plan,
                lambda task: downloader.download(*task),
                lambda task: task[0]["size"] < 2 * MULTIPART_THRESHOLD,
                parallel,
            )
        lines = [
            f"{item['path']} ({output.size(item['size'])}, {item['verified']} checked)"
            for item in done
        ]
        report(context, done, failed, lines)


def safe_name(name: str) -> str:
    """A name from the server as one local path component, never a way out of the folder."""
    if name in {"", ".", ".."} or "/" in name or "\\" in name or "\x00" in name:
        raise UsageError(f"cannot save a file called {name!r} here", "invalid_name")
    return name


def remote_files(
    context: Context, folder: Item, local: Path
) -> Iterator[tuple[dict[str, Any], Path]]:
    """Every available file below `folder`, with where it goes under `local` (made as we go)."""
    local.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    for item in paths.children(context.api, folder):
        name = unique(safe_name(item.name), taken)
        if item.is_folder:
            yield from remote_files(context, item, local / name)
        elif item.data.get("status") == "available":
            yield item.data, local / name
        else:
            output.warn(f"skipped {item.name}: {item.data.get('status')}")


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name (2).ext` when a sibling of the same name came first."""
    stem, dot, extension = name.rpartition(".") if "." in name[1:] else (name, "", "")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem} ({n}){dot}{extension}"
    taken.add(candidate)
    return candidate
