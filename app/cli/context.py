"""What every command gets: the server, the output mode, and the API once it is needed."""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import click

from app.cli import output
from app.cli.api import Api
from app.cli.credentials import Store, default_store


@dataclass
class Context:
    url: str
    json: bool = False
    store: Store = field(default_factory=default_store)
    _api: Api | None = None

    @property
    def api(self) -> Api:
        if self._api is None:
            self._api = Api(self.url, self.store)
        return self._api

    def emit(self, data: Any, human: Iterable[str] | str = ()) -> None:
        output.emit(self.json, data, human)


def command(group: click.Group, name: str | None = None, **settings: Any) -> Callable[..., Any]:
    """`group.command` that also takes `--json` and hands the function the Context."""

    def wrap(function: Callable[..., Any]) -> click.Command:
        @click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
        @click.pass_obj
        @functools.wraps(function)
        def run(context: Context, as_json: bool, **arguments: Any) -> Any:
            context.json = context.json or as_json
            return function(context, **arguments)

        return group.command(name, **settings)(run)

    return wrap
