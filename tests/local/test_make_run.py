"""`make run` as a newcomer meets it: busy ports end it at once, Ctrl-C ends it within a second."""

import json
import re
import signal
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.local.launch import Launched, launch, occupied_port

pytestmark = pytest.mark.e2e
BUSY = re.compile(r"sharebox: port (\d+) is in use: set (\w+) to a free port \(\2=(\d+) make run\)")


@pytest.fixture
def busy_port() -> Iterator[int]:
    with occupied_port() as sock:
        yield int(sock.getsockname()[1])


def ended_within(run: Launched, seconds: float) -> float:
    started = time.monotonic()
    try:
        run.process.wait(timeout=seconds)
    except Exception:
        run.kill()
        raise AssertionError(f"still running after {seconds} s:\n{run.output()}") from None
    return time.monotonic() - started


def the_one_line(run: Launched) -> tuple[int, str, int]:
    stdout, stderr = run.output()
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    found = BUSY.fullmatch(lines[0])
    assert found, lines[0]
    return int(found.group(1)), found.group(2), int(found.group(3))


@pytest.mark.parametrize("variable", ["PORT", "MOTO_PORT"])
def test_a_busy_port_the_user_chose_ends_make_run_at_once_with_one_line_naming_it(
    tmp_path: Path, busy_port: int, variable: str
) -> None:
    settings = {"PORT": "0", variable: str(busy_port)}

    run = launch(tmp_path, **settings)
    ended_within(run, seconds=20)  # a deadline for a loaded machine; it takes about 1 s

    assert run.process.returncode == 1
    port, named, suggested = the_one_line(run)
    assert (port, named) == (busy_port, variable)
    assert suggested > busy_port
    assert not run.group_alive()


def get_json(url: str, token: str | None = None, body: object = None) -> dict[str, object]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, object] = json.load(response)
        return answer


def admin_sees_the_demo_user(api: str, stdout: str) -> bool:
    """The banner's administrator logs in and finds the demo user in the admin list."""
    banner = re.search(r"^  Admin +(\S+) / (\S+)", stdout, re.MULTILINE)
    assert banner, stdout
    login = {"email": banner[1], "password": banner[2]}
    token = str(get_json(f"{api}/auth/login", body=login)["accessToken"])
    found = get_json(f"{api}/admin/users?q=demo@example.com", token)["items"]
    assert isinstance(found, list)
    return [item["email"] for item in found] == ["demo@example.com"]


def presigned_upload_url(api: str) -> str:
    login = {"email": "demo@example.com", "password": "Sharebox-demo-1"}
    token = str(get_json(f"{api}/auth/login", body=login)["accessToken"])
    declared = {"fileName": "notes.txt", "contentType": "text/plain", "size": 5}
    upload = get_json(f"{api}/files/upload-url", token, declared)["upload"]
    assert isinstance(upload, dict)
    return str(upload["url"])


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_on_free_ports_make_run_serves_names_the_emulator_it_took_and_stops_on_a_signal(
    tmp_path: Path, stop: signal.Signals
) -> None:
    run = launch(tmp_path, PORT="0")  # no MOTO_PORT: the emulator takes a free port itself
    try:
        api, aws = run.banner_address("API"), run.banner_address("AWS")
        assert get_json(f"{api}/health")["status"] == "ok"
        assert presigned_upload_url(api).startswith(f"{aws}/")
        assert admin_sees_the_demo_user(api, run.output()[0])
        with urllib.request.urlopen(f"{api}/local/emails", timeout=30) as page:
            assert b"<h1>Sent emails (" in page.read()  # make run's own page

        run.process.send_signal(stop)
        took = ended_within(run, seconds=10)
    finally:
        run.kill()

    assert took < 3, f"{stop.name} took {took:.2f} s"  # about 0.3-0.8 s; generous for 2 cores
    assert run.process.returncode == 128 + stop
    assert not run.group_alive()


def test_an_aws_endpoint_url_nothing_answers_at_ends_make_run_with_one_line_naming_it(
    tmp_path: Path,
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        endpoint = f"http://127.0.0.1:{closed.getsockname()[1]}"
        run = launch(tmp_path, PORT="0", AWS_ENDPOINT_URL=endpoint)
        ended_within(run, seconds=30)

    assert run.process.returncode == 1
    assert run.output()[1].splitlines()[-1] == (
        f"sharebox: nothing answers at {endpoint}: start it, or unset AWS_ENDPOINT_URL"
        " to use the embedded emulator"
    )
    assert not run.group_alive()
