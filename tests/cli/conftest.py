"""The CLI against `make run`'s server: one server on free ports for the session, and for each
test a fresh user and its own config and state directories (no keyring unless it asks)."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest
from click.testing import CliRunner, Result
from keyring.backends import fail

from app.cli.main import cli as sharebox
from tests.local.launch import INHERITED, ROOT, launch

PASSWORD = "Sharebox-test-1"


@dataclass(frozen=True)
class Server:
    url: str

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)


@dataclass(frozen=True)
class User:
    email: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`python -m app.local` (ports 0: the kernel picks free ones), stopped once tests/cli is
    done: its poller and emulator would otherwise load every test after it."""
    run = launch(tmp_path_factory.mktemp("server"), HOST="127.0.0.1", PORT="0", MOTO_PORT="0")
    try:
        url = run.banner_address("API")
        deadline = time.monotonic() + 60
        while httpx.get(f"{url}/health", timeout=5).status_code != 200:
            assert time.monotonic() < deadline, run.output()
            time.sleep(0.2)
        yield Server(url)
    finally:
        run.stop()


@pytest.fixture
def make_account(server: Server) -> Callable[[], User]:
    """A new user, signed up (local mode confirms it) and logged in through the API."""

    def make() -> User:
        email = f"cli-{uuid.uuid4().hex[:12]}@example.com"
        with server.client() as api:
            signup = api.post("/auth/signup", json={"email": email, "password": PASSWORD})
            assert signup.status_code == 201, signup.text
            login = api.post("/auth/login", json={"email": email, "password": PASSWORD})
            assert login.status_code == 200, login.text
        return User(email, PASSWORD, login.json()["accessToken"])

    return make


@pytest.fixture
def account(make_account: Callable[[], User]) -> User:
    return make_account()


class Cli:
    """`sharebox` in this process (click's CliRunner) or in a real one, with the test's env."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, code: int = 0) -> Result:
        result = self.runner.invoke(sharebox, list(args), input=input, env=self.env)
        assert result.exit_code == code, (
            f"sharebox {' '.join(args)}: exit {result.exit_code}, expected {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}\n{result.exception!r}"
        )
        return result

    def json(self, *args: str, input: str | None = None, code: int = 0) -> Any:
        """The --json answer: stdout when it worked, the error (stderr) when it did not."""
        result = self("--json", *args, input=input, code=code)
        return json.loads(result.stdout if code == 0 else result.stderr)

    def login(self, user: User) -> None:
        self("login", "--email", user.email, input=f"{user.password}\n")

    def process_env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if k not in INHERITED}
        return inherited | self.env | {"PYTHONPATH": str(ROOT)}

    def start(self, *args: str, **popen: Any) -> subprocess.Popen[bytes]:
        """`python -m app.cli ARGS` as a real process (for signals), its output piped."""
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", *args],
            env=self.process_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **popen,
        )


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """keyring picks its backend once per process: none, whatever ran before, then that again."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(before)


def home(directory: Path, url: str) -> dict[str, str]:
    """The environment of a `sharebox` whose config and state live in `directory`."""
    return {
        "XDG_CONFIG_HOME": str(directory / "config"),
        "XDG_STATE_HOME": str(directory / "state"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "SHAREBOX_URL": url,
    }


@pytest.fixture
def make_cli(server: Server, tmp_path: Path, no_keyring: None) -> Callable[[], Cli]:
    """A `sharebox` with config and state directories of its own (another machine, as it were)."""
    made = iter(range(1000))
    return lambda: Cli(home(tmp_path / f"home-{next(made)}", server.url))


@pytest.fixture
def cli(make_cli: Callable[[], Cli]) -> Cli:
    return make_cli()


@pytest.fixture
def logged_in(cli: Cli, account: User) -> User:
    cli.login(account)
    return account


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def names(listing: dict[str, Any]) -> list[str]:
    """The names of an `ls --json` listing, in its order."""
    return [
        entry["folder"]["name"] if entry["type"] == "folder" else entry["file"]["fileName"]
        for entry in listing["items"]
    ]


def interrupt_once(process: subprocess.Popen[bytes], ready: Callable[[], bool]) -> bytes:
    """Ctrl-C (SIGINT) for `process` once `ready()`; what it printed on stderr by its exit."""
    try:
        deadline = time.monotonic() + 60
        while not ready():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    return stderr
