"""upload, download."""

import os
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import click
import httpx

from app.cli import output, paths
from app.cli.api import TIMEOUT, USER_AGENT, Api
from app.cli.context import Context, command
from app.cli.download import CHUNK, Downloader
from app.cli.errors import CliError
from app.cli.paths import ROOT, Item
from app.cli.progress import Bars
from app.cli.state import Job
from app.cli.upload import MULTIPART_THRESHOLD, Uploader

T = TypeVar("T")
UNSAFE = ("/", "\\", "\x00")


def storage_client(parallel: int) -> httpx.Client:
    """For presigned URLs: its own pool, as wide as the parallel parts, and no API token."""
    limits = httpx.Limits(max_connections=parallel + 2, max_keepalive_connections=parallel + 2)
    return httpx.Client(timeout=TIMEOUT, limits=limits, headers={"User-Agent": USER_AGENT})


class Outcome:
    """What a transfer command did: the items done and each failure (the rest went on)."""

    def __init__(self) -> None:
        self.done: list[dict[str, Any]] = []
        self.failed: list[tuple[str, CliError]] = []

    def attempt(self, label: str, run: Callable[[], dict[str, Any]]) -> None:
        try:
            self.done.append(run())
        except CliError as exc:
            self.failed.append((label, exc))
        except httpx.TransportError as exc:
            self.failed.append(
                (label, CliError(f"the connection failed: {exc}", "connection_failed"))
            )
        except OSError as exc:
            self.failed.append((label, CliError(f"{exc.strerror or exc}", "local_error")))

    def report(self, context: Context, lines: list[str]) -> None:
        errors = [{"item": label, **exc.as_json()["error"]} for label, exc in self.failed]
        context.emit({"items": self.done, "errors": errors}, lines)
        for label, exc in self.failed:
            output.warn(f"{label}: {exc.detail} ({exc.code})")
        if self.failed:
            first = self.failed[0][1]
            summary = CliError(
                f"{len(self.failed)} of {len(self.done) + len(self.failed)} failed", first.code
            )
            # One cause for all (not logged in, not found): its exit code; else 1.
            if len({exc.exit_code for _, exc in self.failed}) == 1:
                summary.exit_code = first.exit_code
            raise summary


def each(
    work: list[tuple[T, Any]],
    run: Callable[[tuple[T, Any]], dict[str, Any]],
    small: Callable[[tuple[T, Any]], bool],
    parallel: int,
    interrupt: Callable[[], None],
) -> Outcome:
    """`run` over `work`: the small ones side by side, the large ones (parallel inside) in turn.
    A failure is recorded and the rest goes on; Ctrl-C stops everything at once."""
    outcome = Outcome()

    def attempt(task: tuple[T, Any]) -> None:
        outcome.attempt(str(task[0] if isinstance(task[0], Path) else task[1]), lambda: run(task))

    pool = ThreadPoolExecutor(max_workers=parallel)
    try:
        list(pool.map(attempt, [task for task in work if small(task)]))
        for task in work:
            if not small(task):
                attempt(task)
    except KeyboardInterrupt:
        output.warn("stopping...")
        interrupt()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return outcome


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
        help="Parts (or small files) in flight at once.",
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
            uploader = Uploader(api, s3, bars, parallel, job=job)

            def run(task: tuple[Path, Item]) -> dict[str, Any]:
                path, folder = task
                return {**uploader.upload(path, folder.as_parent), "path": str(path)}

            def small(task: tuple[Path, Item]) -> bool:
                return task[0].stat().st_size < MULTIPART_THRESHOLD

            try:
                outcome = each(plan, run, small, parallel, uploader.interrupt)
            except KeyboardInterrupt:
                output.warn("stopped: run the same command again to send only what is missing")
                raise
        if not outcome.failed:
            job.finish()
        outcome.report(context, [f"{item['path']} -> {item['fileId']}" for item in outcome.done])

    @command(group)
    @click.argument("target")
    @click.option(
        "-o",
        "--output",
        "destination",
        help="Where to save it: into it when it is a folder (or ends with /).",
    )
    @parallel_option
    @quiet_option
    def download(
        context: Context, target: str, destination: str | None, parallel: int, quiet: bool
    ) -> None:
        """Download a file, or a folder with everything below it; every file is checked
        against the checksum of what was uploaded. What is there already is replaced."""
        api = context.api
        item = paths.resolve(api, target)
        name = "sharebox" if item.id == ROOT.id else safe_name(item.name)
        local = Path(destination or name)
        if destination and (destination.endswith(("/", os.sep)) or local.is_dir()):
            local = local / name
        plan = list(remote_files(context, item, local)) if item.is_folder else [(item.data, local)]
        total = sum(file["size"] for file, _ in plan)
        bars = Bars(not (quiet or context.json) and output.is_terminal(), total, "download")
        with storage_client(parallel) as s3, bars:
            downloader = Downloader(api, s3, bars, parallel)
            outcome = each(
                plan,
                lambda task: downloader.download(*task),
                lambda task: task[0]["size"] < 2 * CHUNK,
                parallel,
                downloader.interrupt,
            )
        lines = [
            f"{item['path']} ({output.size(item['size'])}, {item['verified']} checked)"
            for item in outcome.done
        ]
        outcome.report(context, lines)


def safe_name(name: str) -> str:
    """A name from the server as one local path component, never a way out of the folder."""
    if name in {"", ".", ".."} or any(bad in name for bad in UNSAFE):
        raise CliError(f"cannot save a file called {name!r} here", "invalid_name")
    return name


def remote_files(
    context: Context, folder: Item, local: Path
) -> Iterator[tuple[dict[str, Any], Path]]:
    """Every available file below `folder`, with where it goes under `local` (made as we go)."""
    local.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    for item in paths.children(context.api, folder):
        try:
            name = unique(safe_name(item.name), taken)
        except CliError as exc:
            output.warn(f"skipped: {exc.detail}")
            continue
        if item.is_folder:
            yield from remote_files(context, item, local / name)
        elif item.data.get("status") == "available":
            yield item.data, local / name
        else:
            output.warn(f"skipped {item.name}: {item.data.get('status')}")


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name (2).ext` when a sibling of the same name came first (compared as a
    case-insensitive disk would: macOS and Windows would make them one file)."""
    stem, dot, extension = name.rpartition(".") if "." in name[1:] else (name, "", "")
    candidate, n = name, 1
    while unicodedata.normalize("NFC", candidate).casefold() in taken:
        n += 1
        candidate = f"{stem} ({n}){dot}{extension}"
    taken.add(unicodedata.normalize("NFC", candidate).casefold())
    return candidate
