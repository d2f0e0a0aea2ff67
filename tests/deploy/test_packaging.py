"""What `sam build` installs is what pyproject.toml declares, and the Dockerfile runs both."""

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from tests.deploy.boto_calls import ROOT


def _generator() -> ModuleType:  # requirements/generate.py is a script, not a package module
    spec = importlib.util.spec_from_file_location("generate", ROOT / "requirements" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pins(lock: str) -> dict[str, str]:
    """{"fastapi": "==0.165.0 --hash=sha256:... ..."}: each package's pin and its hashes."""
    pins: dict[str, str] = {}
    name = ""
    for line in lock.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line.startswith(" "):
            name, _, rest = stripped.partition("==")
            name = name.split("[")[0].lower()
            pins[name] = "==" + rest
        else:
            pins[name] += " " + stripped
    return pins


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_each_lock_was_resolved_from_pyprojects_current_dependencies() -> None:
    generate = _generator()
    for name, lines in generate.wanted().items():
        path = ROOT / "requirements" / f"{name}.txt"
        assert generate.recorded_digest(path.read_text()) == generate.digest(lines), (
            f"{path.relative_to(ROOT)} is stale: run `make requirements`"
        )


def test_a_changed_floor_or_an_added_dependency_is_drift() -> None:
    generate = _generator()
    lines = generate.wanted()["api"]
    raised = [line.replace(">=", ">=9", 1) if i == 0 else line for i, line in enumerate(lines)]
    assert generate.digest(raised) != generate.digest(lines)
    assert generate.digest([*lines, "requests"]) != generate.digest(lines)


def test_every_locked_package_is_pinned_exactly_with_hashes() -> None:
    generate = _generator()
    for name, lines in generate.wanted().items():
        pins = _pins((ROOT / "requirements" / f"{name}.txt").read_text())
        for requirement in lines:
            assert _name(requirement) in pins, f"{requirement} is not in {name}.txt"
        for package, pin in pins.items():
            assert re.match(r"==[\w.]+ ", pin), f"{package} is not pinned to one version"
            assert "--hash=sha256:" in pin, f"{package} has no hash"


def test_the_lambda_build_installs_the_locks_with_hashes_only() -> None:
    makefile = (ROOT / "Makefile").read_text()
    pip = makefile.split("LAMBDA_PIP =")[1].split("\n\n")[0]
    assert "--require-hashes" in pip
    assert "$(LAMBDA_PIP) -r requirements/api.txt" in makefile
    assert "$(LAMBDA_PIP) -r requirements/worker.txt" in makefile


def test_the_locks_have_no_known_vulnerable_versions() -> None:
    """The floors pyproject.toml sets past CVEs hold in what is actually shipped."""
    floors = {
        "starlette": (1, 6),
        "python-jose": (3, 5),
        "python-multipart": (0, 0, 30),
        "urllib3": (2, 7),
        "cryptography": (50,),
    }
    for name in ("api", "worker"):
        pins = _pins((ROOT / "requirements" / f"{name}.txt").read_text())
        for package, floor in floors.items():
            version = pins[package].split()[0].removeprefix("==")
            numbers = tuple(int(part) for part in re.findall(r"\d+", version)[: len(floor)])
            assert numbers >= floor, f"{name}.txt ships {package} {version}"


def test_the_docs_assets_package_ships_with_the_api() -> None:
    pins = _pins((ROOT / "requirements" / "api.txt").read_text())
    assert "fastapi-offline" in pins


def test_only_the_worker_installs_pillow() -> None:
    assert "pillow" not in _pins((ROOT / "requirements" / "api.txt").read_text())
    assert "pillow" in _pins((ROOT / "requirements" / "worker.txt").read_text())


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
    """Bytecode valid whatever the zip does to mtimes; no app/local or app/cli; none when the Python
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
    assert not (built / "app" / "cli").exists()

    other = tmp_path / "other"
    done = subprocess.run(
        [*make, f"ARTIFACTS_DIR={other}", f"LAMBDA_PYTHON={sys.executable}",
         "LAMBDA_PYTHON_VERSION=2.7"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert "without bytecode" in done.stderr
    assert not list(other.rglob("*.pyc"))
