"""`sharebox`: the group, its global options, and failures as exit codes."""

import json
from typing import Any
from urllib.parse import urlsplit

import click

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
            as_json = isinstance(ctx.obj, Context) and ctx.obj.json
            if as_json:
                output.warn(json.dumps(exc.as_json()))
            else:
                output.warn(f"error: {exc.detail} ({exc.code})")
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            output.warn("interrupted")
            ctx.exit(130)


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
    Exit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 not logged in or refused.
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
