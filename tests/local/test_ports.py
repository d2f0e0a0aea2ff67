"""The sockets `make run` binds before it starts anything."""

import pytest

from app.local.ports import CannotListen, PortInUse, listen, port_of
from tests.local.launch import occupied_port


def test_port_zero_listens_on_a_free_port_the_kernel_picked() -> None:
    with listen("127.0.0.1", 0, "MOTO_PORT") as sock, occupied_port() as other:
        assert port_of(sock) > 0
        assert port_of(sock) != port_of(other)


def test_a_taken_port_names_its_variable_and_suggests_a_free_port_above_it() -> None:
    with occupied_port() as taken:
        busy = port_of(taken)
        with pytest.raises(PortInUse) as raised:
            listen("127.0.0.1", busy, "PORT")

    assert raised.value.suggestion > busy
    assert str(raised.value) == (
        f"sharebox: port {busy} is in use: set PORT to a free port"
        f" (PORT={raised.value.suggestion} make run)"
    )


def test_an_address_that_is_not_this_machines_names_host() -> None:
    with pytest.raises(CannotListen, match=r"cannot listen on 192\.0\.2\.1:0 .*: check HOST$"):
        listen("192.0.2.1", 0, "PORT")  # TEST-NET-1: never a local address
