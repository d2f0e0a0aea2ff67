"""The shape of app/: its packages and core modules depend on each other one way only."""

import ast
from collections.abc import Iterator
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"


def _unit(module: str) -> str | None:
    """The package or core module of app/ that `app.x.y` belongs to ("x"), None outside app."""
    parts = module.split(".")
    return parts[1] if parts[0] == "app" and len(parts) > 1 else None


def _imports(path: Path) -> Iterator[str]:
    """Every module `path` imports, at the top or inside a function."""
    package = ".".join(path.relative_to(APP.parent).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                )
            yield base.rstrip(".")
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _exists(unit: str) -> bool:
    return (APP / unit).is_dir() or (APP / f"{unit}.py").is_file()


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in APP.rglob("*.py"):
        source = _unit(".".join(path.relative_to(APP.parent).with_suffix("").parts))
        if source is None or source == "__init__":
            continue
        for module in _imports(path):
            target = _unit(module)
            if target and target != source and _exists(target):
                graph.setdefault(source, set()).add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `graph` as a path that ends where it starts, or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph.get(node, ())):
            cycle = visit(target, [*path, node])
            if cycle:
                return cycle
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return None


def test_the_import_graph_between_apps_packages_has_no_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_graph_sees_imports_inside_functions_and_finds_a_planted_cycle() -> None:
    graph = import_graph()
    assert "files" in graph["shares"]  # a top-level import
    assert "auth" in graph["local"]  # imported inside a function (app/local/__main__.py)
    assert find_cycle({**graph, "files": graph["files"] | {"shares"}}) is not None


def test_domains_depend_the_documented_way() -> None:
    """Lower layers never reach up: core modules know no domain; files knows no sharing rules."""
    graph = import_graph()
    domains = {
        "accounts",
        "activity",
        "access",
        "auth",
        "files",
        "mfa",
        "requests",
        "shares",
        "users",
        "worker",
    }
    for core in ("aws", "clock", "db", "errors", "pagination", "request_facts", "settings"):
        assert not graph.get(core, set()) & domains, core
    assert not graph["files"] & {"shares", "accounts", "worker", "requests"}
    assert not graph["access"] & {"files", "shares", "requests"}  # the items, below the rules
    assert not graph["auth"] & {"users", "files", "shares", "accounts", "mfa"}
    assert not graph["mfa"] & {"accounts", "files"}  # accounts' log-in route builds on mfa
    assert "local" not in {target for targets in graph.values() for target in targets}


def test_the_command_line_client_speaks_only_the_public_api() -> None:
    """app/cli is a client of the HTTP API: it imports nothing of the server, and nothing of
    the server imports it (the Lambda packages leave it out)."""
    graph = import_graph()
    assert (APP / "cli" / "main.py").is_file()
    assert graph.get("cli", set()) == set()
    assert "cli" not in {target for targets in graph.values() for target in targets}
