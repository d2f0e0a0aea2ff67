"""Write requirements/{api,worker}.txt from pyproject.toml (what `sam build` installs).

Run by `make requirements`; tests/deploy/test_packaging.py fails when they drift apart.
"""

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
HEADER = "# Generated from pyproject.toml by `make requirements`; do not edit.\n"


def wanted() -> dict[str, list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base = list(project["dependencies"])
    return {"api": base, "worker": base + project["optional-dependencies"]["worker"]}


def render(lines: list[str], name: str) -> str:
    return f"{HEADER}# The {name} function's dependencies.\n" + "".join(f"{line}\n" for line in lines)


def main() -> int:
    for name, lines in wanted().items():
        (ROOT / "requirements" / f"{name}.txt").write_text(render(lines, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
