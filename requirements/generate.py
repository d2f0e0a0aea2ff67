"""Write requirements/{api,worker}.txt from pyproject.toml: what `sam build` installs.

Each file is a lock: every package, the direct ones and theirs, at one exact version with
its hashes (the Makefile installs it with `--require-hashes`), resolved by uv for Lambda's
platform (Linux arm64, Python 3.12) whatever machine runs `make requirements`. Its header
records a digest of the input (the requirement lines and the target platform), so
tests/deploy/test_packaging.py sees, offline, a lock that no longer matches pyproject.toml.
"""

import hashlib
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
HEADER = "# Generated from pyproject.toml by `make requirements`; do not edit.\n"
DIGEST_PREFIX = "# inputs sha256: "
# Lambda's runtime (template.yaml: python3.12, arm64); manylinux_2_28 is what AL2023 meets.
TARGET = ("--python-platform", "aarch64-manylinux_2_28", "--python-version", "3.12")


def wanted() -> dict[str, list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base = list(project["dependencies"])
    return {"api": base, "worker": base + project["optional-dependencies"]["worker"]}


def digest(lines: list[str]) -> str:
    """Of what the lock is resolved from: the requirement lines, in order, and the target."""
    return hashlib.sha256("\n".join([*lines, *TARGET]).encode()).hexdigest()


def header(lines: list[str], name: str) -> str:
    return f"{HEADER}# The {name} function's dependencies.\n{DIGEST_PREFIX}{digest(lines)}\n"


def recorded_digest(lock: str) -> str | None:
    for line in lock.splitlines():
        if line.startswith(DIGEST_PREFIX):
            return line.removeprefix(DIGEST_PREFIX).strip()
    return None


def compile_lock(lines: list[str]) -> str:
    """uv's lock of `lines` (needs the package index)."""
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "requirements.in", Path(tmp) / "requirements.txt"
        source.write_text("".join(f"{line}\n" for line in lines))
        subprocess.run(
            [sys.executable, "-m", "uv", "pip", "compile", "--quiet", "--generate-hashes",
             "--no-header", *TARGET, str(source), "--output-file", str(target)],
            check=True,
        )  # fmt: skip
        return target.read_text().replace(str(source), "requirements.in")


def main() -> int:
    for name, lines in wanted().items():
        lock = header(lines, name) + compile_lock(lines)
        (ROOT / "requirements" / f"{name}.txt").write_text(lock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
