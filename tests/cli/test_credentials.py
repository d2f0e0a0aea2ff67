"""Where login keeps the tokens: a file only its owner reads, or the keyring when there is one."""

import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from tests.cli.conftest import Cli, User

pytestmark = pytest.mark.e2e


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]  # keyring declares it a classproperty

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.passwords[(service, username)]


@pytest.fixture
def memory_keyring(cli: Cli) -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)  # `cli` puts the one before back afterwards
    yield backend


def test_without_a_keyring_the_tokens_go_to_a_0600_file_in_a_0700_directory(
    cli: Cli, logged_in: User
) -> None:
    stored = Path(cli.env["XDG_CONFIG_HOME"]) / "sharebox" / "credentials.json"

    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    assert logged_in.email in stored.read_text()
    assert [p.name for p in stored.parent.iterdir()] == ["credentials.json"]


def test_with_a_keyring_the_tokens_go_there_and_not_to_a_file(
    cli: Cli, account: User, memory_keyring: MemoryKeyring
) -> None:
    logged = cli.json("login", "--email", account.email, input=f"{account.password}\n")

    assert logged["store"] == "the MemoryKeyring keyring"
    assert list(memory_keyring.passwords) == [("sharebox", cli.env["SHAREBOX_URL"])]
    assert account.email in memory_keyring.passwords[("sharebox", cli.env["SHAREBOX_URL"])]
    assert not Path(cli.env["XDG_CONFIG_HOME"]).exists()
    assert cli.json("me")["email"] == account.email
    cli("logout")
    assert memory_keyring.passwords == {}


class RefusingKeyring(MemoryKeyring):
    """A keyring that will not take tokens this large (Windows' vault holds 2.5 KB)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("too large")


def test_tokens_a_keyring_refuses_go_to_the_file_and_are_read_and_forgotten_there(
    cli: Cli, account: User
) -> None:
    keyring.set_keyring(RefusingKeyring())
    stored = Path(cli.env["XDG_CONFIG_HOME"]) / "sharebox" / "credentials.json"

    logged = cli.json("login", "--email", account.email, input=f"{account.password}\n")

    assert logged["store"] == str(stored)
    assert cli.json("me")["email"] == account.email
    assert cli.json("logout")["loggedOut"] is True
    assert account.email not in stored.read_text()
    cli("me", code=4)


def test_an_unreadable_credentials_file_is_reported_and_never_overwritten(
    cli: Cli, account: User
) -> None:
    stored = Path(cli.env["XDG_CONFIG_HOME"]) / "sharebox" / "credentials.json"
    stored.parent.mkdir(parents=True)
    stored.write_text('{"https://other.example": {"accessToken": "cut sh')

    result = cli("login", "--email", account.email, input=f"{account.password}\n", code=4)

    assert "credentials_unreadable" in result.stderr
    assert stored.read_text().startswith('{"https://other.example"')
