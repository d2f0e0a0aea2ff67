"""login, logout and me against the embedded server."""

import time
from collections.abc import Callable

import pyotp
import pytest

from tests.cli.conftest import Cli, Server, User

pytestmark = pytest.mark.e2e


def test_login_reads_the_password_from_stdin_and_me_shows_the_account(
    cli: Cli, account: User
) -> None:
    logged = cli.json("login", "--email", account.email, input=f"{account.password}\n")

    assert logged["email"] == account.email
    assert logged["url"] == cli.env["SHAREBOX_URL"]
    assert logged["store"].endswith("credentials.json")
    me = cli.json("me")
    assert me["email"] == account.email
    assert me["usage"] == {"files": 0, "bytes": 0}
    assert set(me) >= {"userId", "email", "usage", "quota", "mfa"}
    assert account.email in cli("me").stdout


def test_a_wrong_password_is_refused_with_its_code_and_exit_4(cli: Cli, account: User) -> None:
    result = cli("login", "--email", account.email, input="Not-the-password-1\n", code=4)

    assert "(invalid_credentials)" in result.stderr
    assert cli.json("me", code=4)["error"]["code"] == "not_logged_in"


def test_login_without_email_or_password_in_a_script_is_a_usage_error(
    cli: Cli, account: User
) -> None:
    assert "--email" in cli("login", input=f"{account.password}\n", code=2).stderr
    error = cli.json("login", "--email", account.email, input="", code=2)["error"]
    assert error["code"] == "missing_input"


def test_an_account_with_two_step_verification_logs_in_with_code(
    cli: Cli, server: Server, account: User
) -> None:
    with server.client(account.token) as api:
        setup = api.post("/auth/mfa/setup")
        assert setup.status_code == 200, setup.text
        totp = pyotp.TOTP(setup.json()["secret"])
        # The previous step's code: the login's (the current step) has not been used yet.
        enabled = api.post("/auth/mfa/enable", json={"code": totp.at(time.time() - 30)})
        assert enabled.status_code == 204, enabled.text
    password = f"{account.password}\n"

    refused = cli.json("login", "--email", account.email, input=password, code=2)
    assert refused["error"]["code"] == "mfa_required"
    cli("login", "--email", account.email, "--code", totp.now(), input=password)

    assert cli.json("me")["mfa"] is True


def test_logout_forgets_the_tokens_here(cli: Cli, logged_in: User) -> None:
    out = cli.json("logout")

    assert out == {"url": cli.env["SHAREBOX_URL"], "loggedOut": True, "everywhere": False}
    assert cli.json("me", code=4)["error"]["code"] == "not_logged_in"
    assert cli.json("logout")["loggedOut"] is False


def test_logout_everywhere_ends_the_other_sessions_which_then_exit_4(
    cli: Cli, logged_in: User, make_cli: Callable[[], Cli]
) -> None:
    elsewhere = make_cli()
    elsewhere.login(logged_in)

    assert cli.json("logout", "--everywhere")["everywhere"] is True

    result = elsewhere("me", code=4)
    assert "(session_expired)" in result.stderr
