"""The group: every command listed, exit codes, and how errors are reported."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.main import cli as sharebox
from tests.cli.conftest import Cli, User, home

COMMANDS = {
    "login", "logout", "me", "ls", "upload", "download", "mv", "rm", "mkdir", "share",
    "unshare", "link", "links", "unlink", "trash", "restore",
}  # fmt: skip


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(sharebox, ["--help"])

    assert result.exit_code == 0
    listed = set(re.findall(r"^  (\w+)  ", result.stdout.split("Commands:")[1], re.MULTILINE))
    assert listed == COMMANDS


def test_the_console_script_runs_as_a_real_process() -> None:
    found = subprocess.run(
        [sys.executable, "-m", "app.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert found.returncode == 0 and "upload" in found.stdout


def test_a_bad_option_is_a_usage_error_exit_2() -> None:
    result = CliRunner().invoke(sharebox, ["ls", "--no-such-option"])

    assert result.exit_code == 2
    assert "No such option" in result.stderr


@pytest.mark.e2e
def test_not_logged_in_exits_4_with_the_detail_and_code_on_stderr(cli: Cli) -> None:
    result = cli("ls", code=4)

    assert result.stdout == ""
    assert re.fullmatch(
        r"error: not logged in to \S+: run `sharebox login` \(not_logged_in\)\n", result.stderr
    )


@pytest.mark.e2e
def test_with_json_the_error_is_json_on_stderr_whichever_side_of_the_command(
    cli: Cli, logged_in: User
) -> None:
    before = cli("--json", "ls", "missing", code=3)
    after = cli("ls", "missing", "--json", code=3)

    for result in (before, after):
        assert result.stdout == ""
        assert json.loads(result.stderr) == {
            "error": {"code": "not_found", "detail": "no such file or folder: missing"}
        }


@pytest.mark.e2e
def test_a_refusal_of_the_server_exits_1_with_its_code_detail_and_status(
    cli: Cli, logged_in: User
) -> None:
    cli("mkdir", "Mine")

    result = cli("share", "Mine", "--with", logged_in.email, code=1)

    assert re.fullmatch(r"error: .+ \(cannot_share_with_self\)\n", result.stderr)
    error = cli.json("share", "Mine", "--with", logged_in.email, code=1)["error"]
    assert (error["code"], error["status"]) == ("cannot_share_with_self", 400)
    assert error["detail"] == result.stderr.removeprefix("error: ").rsplit(" (", 1)[0]


@pytest.mark.parametrize("url", ["ftp://files.example.com", "files.example.com", "http://"])
def test_a_url_that_is_not_http_is_a_usage_error(url: str) -> None:
    result = CliRunner().invoke(sharebox, ["--url", url, "me"])

    assert result.exit_code == 2
    assert "--url" in result.stderr


@pytest.mark.usefixtures("no_keyring")
def test_plain_http_to_another_machine_is_said_aloud(tmp_path: Path) -> None:
    env = home(tmp_path, "unused")
    remote = CliRunner().invoke(sharebox, ["--url", "http://192.0.2.1:9", "logout"], env=env)
    local = CliRunner().invoke(sharebox, ["--url", "http://127.0.0.1:9", "logout"], env=env)

    assert (remote.exit_code, local.exit_code) == (0, 0)
    assert remote.stderr.startswith("warning: 192.0.2.1 over plain http")
    assert local.stderr == ""


@pytest.mark.usefixtures("no_keyring")
def test_a_failure_on_this_machine_exits_1_with_what_and_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = home(tmp_path, "unused")
    stored = Path(env["XDG_CONFIG_HOME"]) / "sharebox" / "credentials.json"
    stored.parent.mkdir(parents=True)
    stored.write_text(json.dumps({"http://127.0.0.1:9": {"accessToken": "a"}}))

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device", str(stored))

    monkeypatch.setattr("app.cli.credentials.FileStore._write", disk_full)
    result = CliRunner().invoke(sharebox, ["--url", "http://127.0.0.1:9", "logout"], env=env)

    assert result.exit_code == 1
    assert result.stderr == f"error: No space left on device: {stored} (local_error)\n"
