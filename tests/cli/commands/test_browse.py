"""ls, mkdir, mv, rm, trash and restore against the embedded server."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cli, User, names, write

pytestmark = pytest.mark.e2e


def upload(cli: Cli, tmp_path: Path, name: str, *to: str) -> dict[str, Any]:
    path = write(tmp_path / "src" / name, name.encode())
    item: dict[str, Any] = cli.json("upload", str(path), *to)["items"][0]
    return item


def test_ls_lists_folders_first_then_files_and_takes_a_path_or_an_id(
    cli: Cli, logged_in: User, tmp_path: Path
) -> None:
    cli("mkdir", "Photos")
    file = upload(cli, tmp_path, "notes.txt")
    upload(cli, tmp_path, "inside.txt", "--to", "Photos")

    top = cli.json("ls")
    folder = top["items"][0]["folder"]

    assert names(top) == ["Photos", "notes.txt"]
    assert [entry["type"] for entry in top["items"]] == ["folder", "file"]
    assert top["items"][1]["file"]["fileId"] == file["fileId"]
    assert names(cli.json("ls", "Photos")) == ["inside.txt"]
    assert names(cli.json("ls", folder["folderId"])) == ["inside.txt"]
    assert names(cli.json("ls", file["fileId"])) == ["notes.txt"]
    lines = cli("ls").stdout.splitlines()
    assert lines[0].startswith("Photos/") and lines[0].endswith(folder["folderId"])
    assert lines[1].startswith("notes.txt") and " 9 B " in lines[1]


def test_mkdir_makes_a_folder_and_with_p_its_parents_and_no_error_when_it_exists(
    cli: Cli, logged_in: User
) -> None:
    made = cli.json("mkdir", "-p", "a/b/c")["items"]

    assert [m["folder"]["name"] for m in made] == ["c"]
    assert names(cli.json("ls", "a/b")) == ["c"]
    assert (
        cli.json("mkdir", "-p", "a/b/c")["items"][0]["folder"]["folderId"]
        == (made[0]["folder"]["folderId"])
    )
    assert cli.json("mkdir", "a/b/c", code=1)["error"]["code"] == "already_exists"
    assert cli.json("mkdir", "x/y", code=3)["error"]["code"] == "not_found"
    cli("mkdir", "a/d")
    assert names(cli.json("ls", "a")) == ["b", "d"]


def test_mv_renames_in_place_and_moves_into_a_folder(
    cli: Cli, logged_in: User, tmp_path: Path
) -> None:
    file = upload(cli, tmp_path, "draft.txt")
    cli("mkdir", "Done")

    renamed = cli.json("mv", "draft.txt", "final.txt")
    moved = cli.json("mv", "final.txt", "Done")

    assert renamed["type"] == "file" and renamed["file"]["fileName"] == "final.txt"
    assert moved["file"]["fileId"] == file["fileId"]
    assert moved["file"]["folderId"] == cli.json("ls")["items"][0]["folder"]["folderId"]
    assert names(cli.json("ls")) == ["Done"]
    assert names(cli.json("ls", "Done")) == ["final.txt"]
    cli("mv", file["fileId"], "Done/last.txt")
    assert names(cli.json("ls", "Done")) == ["last.txt"]


def test_mv_moves_and_renames_folders_and_refuses_to_overwrite_a_file(
    cli: Cli, logged_in: User, tmp_path: Path
) -> None:
    cli("mkdir", "-p", "one", "two")
    upload(cli, tmp_path, "taken.txt")

    assert cli.json("mv", "one", "two")["folder"]["name"] == "one"
    assert cli.json("mv", "two/one", "uno")["folder"]["parentId"] is None
    assert sorted(names(cli.json("ls"))) == ["taken.txt", "two", "uno"]
    assert cli.json("mv", "uno", "taken.txt", code=1)["error"]["code"] == "already_exists"
    assert cli.json("mv", "nowhere", "two", code=3)["error"]["code"] == "not_found"


def test_rm_trashes_files_and_needs_r_for_folders(
    cli: Cli, logged_in: User, tmp_path: Path
) -> None:
    file = upload(cli, tmp_path, "old.txt", "--to", "/")
    cli("mkdir", "-p", "Box/inner")

    assert cli.json("rm", "Box", code=1)["error"]["code"] == "is_a_folder"
    removed = cli.json("rm", "-r", "Box", file["fileId"])["items"]

    assert [(r["type"], r["name"]) for r in removed] == [("folder", "Box"), ("file", "old.txt")]
    assert removed[1]["id"] == file["fileId"] and removed[0]["id"].startswith("fo-")
    assert cli.json("ls")["items"] == []
    assert cli.json("rm", "Box", code=3)["error"]["code"] == "not_found"


def test_trash_lists_what_was_deleted_and_restore_brings_it_back_by_name_or_id(
    cli: Cli, logged_in: User, tmp_path: Path
) -> None:
    file = upload(cli, tmp_path, "keep.txt")
    cli("mkdir", "Old")
    cli("rm", "-r", "keep.txt", "Old")

    trashed = cli.json("trash")["items"]

    assert sorted(item["type"] for item in trashed) == ["file", "folder"]
    assert all({"trashedAt", "purgeAt"} <= set(item) for item in trashed)
    restored = cli.json("restore", "Old", file["fileId"])["items"]
    assert [item["type"] for item in restored] == ["folder", "file"]
    assert restored[0]["folder"]["name"] == "Old"
    assert restored[1]["file"]["fileId"] == file["fileId"]
    assert sorted(names(cli.json("ls"))) == ["Old", "keep.txt"]
    assert cli.json("trash")["items"] == []
    assert cli.json("restore", "Old", code=3)["error"]["code"] == "not_found"


def test_mv_to_the_top_level_but_never_of_it(cli: Cli, logged_in: User, tmp_path: Path) -> None:
    upload(cli, tmp_path, "deep.txt", "--to", "/")
    cli("mkdir", "Inbox")
    cli("mv", "deep.txt", "Inbox")

    assert cli.json("mv", "Inbox/deep.txt", "/")["file"]["folderId"] is None
    assert names(cli.json("ls")) == ["Inbox", "deep.txt"]
    assert cli.json("mv", "/", "Inbox", code=1)["error"]["code"] == "invalid_target"
    assert cli.json("rm", "-r", "/", code=1)["error"]["code"] == "invalid_target"


def test_ls_shared_lists_what_others_shared_and_those_are_reached_by_id(
    cli: Cli, logged_in: User, tmp_path: Path, make_cli: Callable[[], Cli],
    make_account: Callable[[], User],
) -> None:  # fmt: skip
    friend, theirs = make_account(), make_cli()
    theirs.login(friend)
    file = upload(theirs, tmp_path, "gift.txt")
    theirs("share", "gift.txt", "--with", logged_in.email)

    shared = cli.json("ls", "--shared")["items"]

    assert [(e["type"], e["file"]["fileId"]) for e in shared] == [("file", file["fileId"])]
    assert shared[0]["file"]["sharedWithMe"] is True
    assert names(cli.json("ls")) == []
    assert names(cli.json("ls", file["fileId"])) == ["gift.txt"]
