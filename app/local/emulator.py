"""The embedded AWS emulator of `make run`: moto's WSGI app served from a socket we bound.

moto's ThreadedMotoServer binds inside its thread: a busy port there prints Werkzeug's message
and leaves `start()` waiting forever. Serving moto's app on a socket bound beforehand
(`app.local.ports.listen`) fails fast in the main thread and takes port 0 without a race.
"""

import socket
import threading

from werkzeug.serving import BaseWSGIServer, make_server


class EmbeddedEmulator:
    """moto on `sock`, in a daemon thread, until `stop()`."""

    def __init__(self, sock: socket.socket) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )

        host, port = sock.getsockname()[:2]
        self.url = f"http://{host}:{port}"
        app = DomainDispatcherApplication(create_backend_app)
        # werkzeug serves a duplicate of the descriptor, so ours can be closed at once.
        self._server: BaseWSGIServer = make_server(
            host, port, app, threaded=True, request_handler=MotoRequestHandler, fd=sock.fileno()
        )
        sock.close()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )

    def start(self) -> "EmbeddedEmulator":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting requests and close the socket; requests in flight are daemon threads."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
