"""`sharebox`: the group, its global options, and failures as exit codes."""

import json
from typing import Any
from urllib.parse import urlsplit

import click
import httpx

from app.cli import output
from app.cli.api import DEFAULT_URL
from app.cli.context import Context
from app.cli.errors import CliError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Sharebox(click.Group):
    """Reports a CliError as `error: detail (code)` (JSON on stderr with --json) and exits
    with its code; Ctrl-C exits 130 and says what it left behind."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CliError as exc:
            self._report(ctx, exc)
        except httpx.TransportError as exc:  # a stream cut short outside the transfers' retries
            self._report(ctx, CliError(f"the connection failed: {exc}", "connection_failed"))
        except OSError as exc:  # this machine's side: a full disk, a file it may not read
            where = f": {exc.filename}" if exc.filename else ""
            self._report(ctx, CliError(f"{exc.strerror or exc}{where}", "local_error"))
        except KeyboardInterrupt:
            output.warn("interrupted")
            ctx.exit(130)

    @staticmethod
    def _report(ctx: click.Context, exc: CliError) -> None:
        if isinstance(ctx.obj, Context) and ctx.obj.json:
            output.warn(json.dumps(exc.as_json()))
        else:
            output.warn(f"error: {exc.detail} ({exc.code})")
        ctx.exit(exc.exit_code)


@click.group(cls=Sharebox, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--url",
    envvar="SHAREBOX_URL",
    default=DEFAULT_URL,
    show_default=True,
    help="The Sharebox server (also SHAREBOX_URL).",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.version_option(package_name="sharebox", prog_name="sharebox")
@click.pass_context
def cli(ctx: click.Context, url: str, as_json: bool) -> None:
    """Sharebox from the terminal: upload, download, share and link your files.

    Files and folders are named by id or by path from your top level (`Photos/2024`).
    Exit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 not logged in or session over.
    """
    ctx.obj = Context(url=server(url), json=as_json)


def server(url: str) -> str:
    """The base URL, refused unless it is http(s); plain http only said aloud off this machine."""
    parsed = urlsplit(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise click.BadParameter(
            f"{url!r}: give a URL such as https://files.example.com", param_hint="--url"
        )
    if parsed.scheme == "http" and parsed.hostname not in LOOPBACK:
        output.warn(
            f"warning: {parsed.hostname} over plain http: password and tokens travel unencrypted"
        )
    return url.strip().rstrip("/")


def _register() -> None:
    from app.cli.commands import accounts, browse, sharing, transfers

    for module in (accounts, browse, sharing, transfers):
        module.register(cli)


_register()
main = cli
