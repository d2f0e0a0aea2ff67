"""The sockets `make run` listens on, bound before anything starts, so a busy port fails fast.

Binding port 0 lets the kernel pick a free port atomically (no probe-then-bind race); a port
the user chose that is taken ends the run with one line naming the variable to change.
"""

import errno
import socket


class StartError(Exception):
    """`make run` cannot start; the message is the one line it prints."""


class PortInUse(StartError):
    """A port set through `variable` is taken by another program."""

    def __init__(self, variable: str, port: int, suggestion: int) -> None:
        self.variable, self.port, self.suggestion = variable, port, suggestion
        super().__init__(
            f"sharebox: port {port} is in use: set {variable} to a free port"
            f" ({variable}={suggestion} make run)"
        )


class CannotListen(StartError):
    """The address set through `variable` cannot be listened on (not this machine's, reserved)."""

    def __init__(self, variable: str, host: str, port: int, reason: str) -> None:
        super().__init__(f"sharebox: cannot listen on {host}:{port} ({reason}): check {variable}")


def listen(host: str, port: int, variable: str, *, host_variable: str = "HOST") -> socket.socket:
    """A listening TCP socket on host:port (0: a free port the kernel picks)."""
    sock = _socket(host)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(variable, port, _next_free(host, port)) from exc
        culprit = variable if exc.errno == errno.EACCES else host_variable
        raise CannotListen(culprit, host, port, exc.strerror or str(exc)) from exc
    return sock


def port_of(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])


def _socket(host: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # As uvicorn and werkzeug do: a restart may reuse a port whose old connections linger in
    # TIME_WAIT; on Linux and macOS this never lets two programs listen on one port.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return sock


def _next_free(host: str, port: int) -> int:
    """A free port just above `port`, to suggest (the suggestion only: nothing is kept bound)."""
    for candidate in range(port + 1, min(port + 100, 65536)):
        with _socket(host) as probe:
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    return port + 1
