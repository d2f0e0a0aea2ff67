"""What `sam build` installs is what pyproject.toml declares, and the Dockerfile runs both."""

import importlib.util
from pathlib import Path
from types import ModuleType

from tests.deploy.boto_calls import ROOT


def _generator() -> ModuleType:  # requirements/generate.py is a script, not a package module
    spec = importlib.util.spec_from_file_location("generate", ROOT / "requirements" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_requirements_files_match_pyproject() -> None:
    generate = _generator()
    for name, lines in generate.wanted().items():
        path = ROOT / "requirements" / f"{name}.txt"
        assert path.read_text() == generate.render(lines, name), (
            f"{path.relative_to(ROOT)} is stale: run `make requirements`"
        )


def test_only_the_worker_installs_pillow() -> None:
    def names(path: Path) -> set[str]:
        lines = path.read_text().splitlines()
        return {
            line.split(">")[0].split("[")[0].lower() for line in lines if line and line[0] != "#"
        }

    assert "pillow" not in names(ROOT / "requirements" / "api.txt")
    assert "pillow" in names(ROOT / "requirements" / "worker.txt")


def test_the_lambda_image_runs_the_api_by_default_and_the_local_image_runs_make_runs_server() -> (
    None
):
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = {
        line.split(" AS ")[1].strip(): line
        for line in dockerfile.splitlines()
        if line.startswith("FROM ") and " AS " in line
    }
    assert stages["lambda"].startswith("FROM public.ecr.aws/lambda/python:3.12")
    lambda_part = dockerfile.split(stages["lambda"])[1].split("\nFROM ")[0]
    assert 'CMD ["app.main.handler"]' in lambda_part
    local_part = dockerfile.split(stages["local"])[1].split("\nFROM ")[0]
    assert 'CMD ["python", "-m", "app.local"]' in local_part


def test_the_lambda_package_ships_bytecode_of_the_runtimes_python(tmp_path: Path) -> None:
    """Bytecode valid whatever the zip does to mtimes; no app/local; none when the Python
    named is not the runtime's version."""
    import subprocess
    import sys

    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    make = ["make", "--no-print-directory", "-s", "lambda-source", "lambda-bytecode"]
    built = tmp_path / "built"
    done = subprocess.run(
        [*make, f"ARTIFACTS_DIR={built}", f"LAMBDA_PYTHON={sys.executable}",
         f"LAMBDA_PYTHON_VERSION={version}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    tag = sys.implementation.cache_tag
    main = built / "app" / "__pycache__" / f"main.{tag}.pyc"
    header = main.read_bytes()[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, source not checked
    assert (built / "app" / "files" / "__pycache__" / f"router.{tag}.pyc").exists()
    assert not (built / "app" / "local").exists()

    other = tmp_path / "other"
    done = subprocess.run(
        [*make, f"ARTIFACTS_DIR={other}", f"LAMBDA_PYTHON={sys.executable}",
         "LAMBDA_PYTHON_VERSION=2.7"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert "without bytecode" in done.stderr
    assert not list(other.rglob("*.pyc"))
