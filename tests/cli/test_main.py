"""The group: every command listed, exit codes, and how errors are reported."""

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from app.cli.main import cli as sharebox
from tests.cli.conftest import Cli, User

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
