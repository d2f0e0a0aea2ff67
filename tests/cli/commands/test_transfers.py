"""upload and download of files and directory trees against the embedded server."""

import hashlib
import os
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, Server, User, interrupt_once, names, write

pytestmark = pytest.mark.e2e


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """project/{readme.md, src/main.py, src/lib/util.py, empty/}"""
    root = tmp_path / "project"
    write(root / "readme.md", b"# project\n")
    write(root / "src" / "main.py", b"print('hi')\n")
    write(root / "src" / "lib" / "util.py", os.urandom(3000))
    (root / "empty").mkdir()
    return root


def test_upload_of_a_file_answers_the_file_it_became(
    cli: Cli, logged_in: User, tmp_path: Path
) -> None:
    path = write(tmp_path / "hello.txt", b"hello")

    answer = cli.json("upload", str(path))

    assert answer["errors"] == []
    [item] = answer["items"]
    assert {"fileId", "fileName", "size", "status", "resumed", "partsSent", "path"} <= set(item)
    assert (item["fileName"], item["size"], item["status"]) == ("hello.txt", 5, "available")
    assert (item["resumed"], item["partsSent"], item["path"]) == (False, 1, str(path))
    assert item["sha256"] == hashlib.sha256(b"hello").hexdigest()
    assert cli("upload", str(path)).stdout.startswith(f"{path} -> ")


def test_upload_of_a_directory_keeps_its_structure_under_to(
    cli: Cli, logged_in: User, tree: Path
) -> None:
    cli("mkdir", "Work")

    answer = cli.json("upload", str(tree), "--to", "Work")

    assert sorted(Path(item["path"]).name for item in answer["items"]) == [
        "main.py",
        "readme.md",
        "util.py",
    ]
    assert names(cli.json("ls", "Work/project")) == ["empty", "src", "readme.md"]
    assert names(cli.json("ls", "Work/project/src")) == ["lib", "main.py"]
    assert [e["file"]["fileName"] for e in cli.json("ls", "Work/project/src/lib")["items"]] == [
        "util.py"
    ]
    assert cli.json("ls", "Work/project/empty")["items"] == []


def test_upload_to_a_missing_folder_exits_3_and_sends_nothing(
    cli: Cli, logged_in: User, tmp_path: Path
) -> None:
    path = write(tmp_path / "a.txt", b"a")

    assert cli.json("upload", str(path), "--to", "Nowhere", code=3)["error"]["code"] == (
        "not_found"
    )
    assert cli.json("ls")["items"] == []
    assert "does not exist" in cli("upload", str(tmp_path / "missing"), code=2).stderr


def test_download_of_a_file_by_path_or_id_into_a_directory_or_to_a_name(
    cli: Cli, logged_in: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = os.urandom(5000)
    file_id = cli.json("upload", str(write(tmp_path / "src" / "blob.bin", data)))["items"][0][
        "fileId"
    ]
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)

    here = cli.json("download", "blob.bin")
    named = cli.json("download", file_id, "-o", str(out / "copy.bin"))
    (out / "sub").mkdir()
    into = cli.json("download", file_id, "-o", str(out / "sub"))
    made = cli.json("download", file_id, "-o", str(out / "new") + "/")  # a folder to make

    assert here["errors"] == [] and here["items"][0]["path"] == "blob.bin"
    assert {"fileId", "path", "size", "verified"} <= set(here["items"][0])
    assert here["items"][0]["verified"] == "sha256"
    assert (out / "blob.bin").read_bytes() == data
    assert Path(named["items"][0]["path"]).read_bytes() == data
    assert (out / "sub" / "blob.bin").read_bytes() == data
    assert into["items"][0]["path"] == str(out / "sub" / "blob.bin")
    assert made["items"][0]["path"] == str(out / "new" / "blob.bin")
    assert (out / "new" / "blob.bin").read_bytes() == data
    assert sorted(os.listdir(out)) == ["blob.bin", "copy.bin", "new", "sub"]


def test_download_of_a_folder_brings_everything_below_it(
    cli: Cli, logged_in: User, tree: Path, tmp_path: Path
) -> None:
    cli("upload", str(tree))
    out = tmp_path / "restored"

    answer = cli.json("download", "project", "-o", str(out))

    assert len(answer["items"]) == 3 and answer["errors"] == []
    for relative in ("readme.md", "src/main.py", "src/lib/util.py"):
        assert (out / relative).read_bytes() == (tree / relative).read_bytes()
    assert (out / "empty").is_dir()
    assert not list(out.rglob(".sharebox-*.part"))


def test_download_of_something_missing_exits_3(cli: Cli, logged_in: User) -> None:
    result = cli("download", "ghost.bin", code=3)
    assert "(not_found)" in result.stderr


def test_same_named_siblings_download_side_by_side(
    cli: Cli, logged_in: User, tmp_path: Path
) -> None:
    first = write(tmp_path / "one" / "a.txt", b"first")
    second = write(tmp_path / "two" / "a.txt", b"second")
    cli("mkdir", "Box")
    cli("upload", str(first), "--to", "Box")
    cli("upload", str(second), "--to", "Box")

    cli("download", "Box", "-o", str(tmp_path / "out"))

    got = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    assert sorted(got) == ["a (2).txt", "a.txt"]
    assert sorted(got.values()) == [b"first", b"second"]
    assert cli.json("download", "Box/a.txt", code=1)["error"]["code"] == "ambiguous_path"


def test_ctrl_c_during_a_folder_upload_stops_and_the_same_command_sends_the_rest_once(
    cli: Cli, server: Server, logged_in: User, tmp_path: Path
) -> None:
    many = tmp_path / "many"
    for n in range(40):
        write(many / f"f{n:02}.txt", str(n).encode())
    args = ["upload", str(many)]
    uploads = Path(cli.env["XDG_STATE_HOME"]) / "sharebox" / "uploads"

    process = cli.start(*args, "--parallel", "1")

    def one_file_is_up() -> bool:
        return any('"done": true' in log.read_text() for log in uploads.glob("*.jsonl"))

    stderr = interrupt_once(process, one_file_is_up)
    assert process.returncode == 130, stderr
    assert b"run the same command again" in stderr

    with server.client(logged_in.token) as api:
        before = api.get("/users/me").json()["usage"]["files"]
    items = cli.json(*args, "--parallel", "16")["items"]

    assert 1 <= before < 40
    assert len(items) == 40
    # The file in flight at the Ctrl-C may have landed: the rerun completes it (resumed too).
    assert before <= sum(item["resumed"] for item in items) <= before + 1
    assert len(cli.json("ls", "many")["items"]) == 40
