"""share, unshare, link, links and unlink against the embedded server."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, Server, User, write

pytestmark = pytest.mark.e2e


@pytest.fixture
def file_id(cli: Cli, logged_in: User, tmp_path: Path) -> str:
    path = write(tmp_path / "report.txt", b"quarterly numbers")
    return str(cli.json("upload", str(path))["items"][0]["fileId"])


def test_share_with_people_lets_them_see_it_and_unshare_stops_it(
    cli: Cli, server: Server, file_id: str, make_account: Callable[[], User]
) -> None:
    friend, other = make_account(), make_account()

    shared = cli.json("share", "report.txt", "--with", friend.email, "--with", other.email)

    assert [s["email"] for s in shared["items"]] == [friend.email, other.email]
    assert all({"userId", "email", "sharedAt"} <= set(s) for s in shared["items"])
    with server.client(friend.token) as api:
        assert api.get(f"/files/{file_id}").status_code == 200
        unshared = cli.json("unshare", file_id, "--with", friend.email)
        assert unshared == {"unshared": [friend.email]}
        assert api.get(f"/files/{file_id}").status_code == 404
    cli("unshare", file_id, "--with", shared["items"][1]["userId"])
    with server.client(other.token) as api:
        assert api.get(f"/files/{file_id}").status_code == 404
    error = cli.json("unshare", file_id, "--with", friend.email, code=3)["error"]
    assert error["code"] == "share_not_found"


def test_share_with_an_unknown_item_exits_3(cli: Cli, logged_in: User) -> None:
    result = cli("share", "nope.txt", "--with", "someone@example.com", code=3)
    assert result.stderr.strip() == "error: no such file or folder: nope.txt (not_found)"


def test_link_with_expiry_password_and_download_limit(
    cli: Cli, server: Server, file_id: str
) -> None:
    link = cli.json(
        "link", "report.txt", "--expires", "1d", "--password", "--max-downloads", "3",
        input="link-secret-1\n",
    )  # fmt: skip

    expected_keys = {"token", "url", "expiresAt", "maxDownloads", "downloads", "passwordProtected"}
    assert expected_keys <= set(link)
    assert (link["maxDownloads"], link["downloads"], link["passwordProtected"]) == (3, 0, True)
    assert link["url"] == f"{server.url}/s/{link['token']}"
    expires = datetime.fromisoformat(link["expiresAt"])
    assert abs(expires - (datetime.now(UTC) + timedelta(days=1))) < timedelta(minutes=2)
    with server.client() as public:
        download = f"/links/{link['token']}/download"
        assert public.post(download, json={}).status_code == 401
        assert public.post(download, json={"password": "link-secret-1"}).status_code == 200


def test_links_lists_them_and_unlink_revokes_by_token_or_url(
    cli: Cli, server: Server, file_id: str
) -> None:
    first = cli.json("link", file_id, "--expires", "2h")
    second = cli("link", file_id).stdout.strip()  # people get the URL

    listed = cli.json("links", "report.txt")["items"]

    assert first["passwordProtected"] is False and first["maxDownloads"] is None
    assert sorted(item["url"] for item in listed) == sorted([first["url"], second])
    assert cli.json("unlink", "report.txt", second) == {"revoked": second.rsplit("/", 1)[1]}
    cli("unlink", file_id, first["token"])
    assert cli.json("links", file_id)["items"] == []
    with server.client() as public:
        assert public.get(f"/links/{first['token']}").status_code == 404


def test_links_of_folders_and_bad_durations(cli: Cli, logged_in: User) -> None:
    cli("mkdir", "Album")

    link = cli.json("link", "Album", "--expires", "1w")

    assert link["type"] == "folder"
    assert [item["token"] for item in cli.json("links", "Album")["items"]] == [link["token"]]
    assert cli.json("link", "Album", "--expires", "soon", code=2)["error"]["code"] == (
        "invalid_duration"
    )
    assert "max-downloads" in cli("link", "Album", "--max-downloads", "0", code=2).stderr


@pytest.mark.parametrize(
    "args",
    [
        ["share", "/", "--with", "someone@example.com"],
        ["unshare", "/", "--with", "someone@example.com"],
        ["link", "/"],
        ["links", "/"],
        ["unlink", "/", "token"],
    ],
)
def test_the_top_level_is_no_item_to_share_or_link(
    cli: Cli, logged_in: User, args: list[str]
) -> None:
    error = cli.json(*args, code=1)["error"]
    assert error["code"] == "invalid_target"


def test_a_link_password_missing_from_stdin_is_a_usage_error(cli: Cli, file_id: str) -> None:
    result = cli("link", "report.txt", "--password", input="", code=2)

    assert "missing_input" in result.stderr
    assert cli.json("links", "report.txt")["items"] == []
