"""What commands print: JSON for scripts (`--json`), short lines for people."""

import json
import sys
from collections.abc import Iterable
from typing import Any

import click

from app.cli.errors import UsageError


def emit(as_json: bool, data: Any, human: Iterable[str] | str = ()) -> None:
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for line in [human] if isinstance(human, str) else human:
        click.echo(line)


def warn(message: str) -> None:
    click.echo(message, err=True)


def size(value: int | None) -> str:
    """Bytes for people: `1.5 MiB`."""
    if value is None:
        return "-"
    amount = float(value)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if amount < 1024 or unit == "TiB":
            return f"{int(amount)} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    raise AssertionError("unreachable")


def is_terminal() -> bool:
    return sys.stderr.isatty()


def secret(prompt: str, confirm: bool = False) -> str:
    """Typed hidden at a terminal; read as one line from stdin in a script."""
    if sys.stdin.isatty():
        return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True))
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise UsageError(f"{prompt.lower()}: nothing on stdin", "missing_input")
    return line
