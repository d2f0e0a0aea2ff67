"""`make run`: the embedded AWS emulator, its resources, a demo user, and the API under uvicorn.

Both sockets are bound before anything starts: PORT (default 8000) for the API and MOTO_PORT
for the emulator (unset: a free port the kernel picks), so a busy port ends the run at once
with one line. Set AWS_ENDPOINT_URL to use an emulator that is already running (LocalStack, a
standalone moto server) instead of the embedded one; LOCAL_BOOTSTRAP=0 then skips creating
resources and expects USER_POOL_ID and friends in the environment.
"""

import logging
import os
import signal
import socket
import sys
from types import FrameType

import boto3
import uvicorn
from botocore.exceptions import EndpointConnectionError

from app.local.bootstrap import bootstrap
from app.local.emulator import EmbeddedEmulator
from app.local.ports import StartError, listen, port_of

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Sharebox-demo-1"
ADMIN_EMAIL = "admin@example.com"  # in the `admins` group: the administrators' routes
ADMIN_PASSWORD = "Sharebox-admin-1"
LOCAL_SENDER = "noreply@sharebox.local"
log = logging.getLogger("sharebox.local")


class Interrupted(Exception):
    """SIGINT or SIGTERM: unwind, so that everything started is stopped on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


class _Server(uvicorn.Server):
    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        from app.local import background

        background.stop_soon()  # the poller's last poll ends while uvicorn drains connections
        super().handle_exit(sig, frame)


def _port(variable: str, default: int) -> int:
    value = os.environ.get(variable) or str(default)
    if not value.isdigit() or int(value) > 65535:
        raise StartError(f"sharebox: {variable} must be a port number (0-65535), not {value!r}")
    return int(value)


def _start_embedded_moto() -> EmbeddedEmulator:
    from app.local.atomic import serialize_dynamodb
    from app.local.sign_out import sign_out_by_user

    sock = listen("127.0.0.1", _port("MOTO_PORT", 0), "MOTO_PORT", host_variable="MOTO_PORT")
    serialize_dynamodb()  # the worker's poller and the API race on the same items
    sign_out_by_user()  # a disabled user's refresh tokens stop, as on AWS
    return EmbeddedEmulator(sock).start()


def _prepare_environment(host: str, port: int) -> None:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ.setdefault("AWS_REGION", "us-east-1")
    os.environ.setdefault("LOCAL_MODE", "true")
    origins = {f"http://{host}:{port}", f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    os.environ.setdefault("CORS_ORIGINS", _json_list(sorted(origins)))
    # The emails' links start with it, and come from it (verified in the emulator's SES).
    os.environ.setdefault("PUBLIC_BASE_URL", f"http://{host}:{port}")
    os.environ.setdefault("SENDER_EMAIL", LOCAL_SENDER)
    # An administrator trying things out sees the totals move within seconds, not minutes.
    os.environ.setdefault("STATS_RECOUNT_SECONDS", "10")
    if os.environ.get("LOCAL_BOOTSTRAP", "1") != "0":
        endpoint, region = os.environ["AWS_ENDPOINT_URL"], os.environ["AWS_REGION"]
        clients = {
            name: boto3.client(name, endpoint_url=endpoint, region_name=region)
            for name in ("cognito-idp", "dynamodb", "s3", "sqs", "sesv2")
        }
        try:
            resources = bootstrap(
                clients, origins=sorted(origins), sender_email=os.environ["SENDER_EMAIL"]
            )
        except EndpointConnectionError as exc:
            raise StartError(
                f"sharebox: nothing answers at {endpoint}: start it, or unset AWS_ENDPOINT_URL"
                " to use the embedded emulator"
            ) from exc
        for key, value in resources.environment().items():
            os.environ.setdefault(key, value)


def _json_list(values: list[str]) -> str:
    import json

    return json.dumps(values)


def _create_user(email: str, password: str, name: str) -> None:
    """Sign the user up as the API does, with what Cognito's PostConfirmation trigger does on
    AWS; one there already is kept."""
    from app.auth import cognito
    from app.errors import AppError
    from app.users import triggers

    try:
        cognito.sign_up(email, password, name)
        event = cognito.local_confirmation_event(email)
        if event is not None:
            triggers.post_confirmation(event)
    except AppError as exc:
        if exc.code != "email_taken":
            raise


def _create_demo_users() -> None:
    """The demo user, and an administrator (what `aws cognito-idp admin-add-user-to-group`
    does for a deployed pool)."""
    from app.auth.dependencies import ADMINS_GROUP
    from app.aws import client
    from app.settings import get_settings

    _create_user(DEMO_EMAIL, DEMO_PASSWORD, "Demo User")
    _create_user(ADMIN_EMAIL, ADMIN_PASSWORD, "Admin")
    client("cognito-idp").admin_add_user_to_group(
        UserPoolId=get_settings().user_pool_id, Username=ADMIN_EMAIL, GroupName=ADMINS_GROUP
    )


def _banner(base: str, emulator: EmbeddedEmulator | None) -> str:
    aws = os.environ["AWS_ENDPOINT_URL"]
    where = "embedded moto; MOTO_PORT fixes its port" if emulator else "AWS_ENDPOINT_URL"
    return (
        f"\n  Sharebox is running\n"
        f"  API       {base}\n  Docs      {base}/docs\n  Web page  {base}/\n"
        f"  AWS       {aws} ({where})\n"
        f"  Emails    {base}/local/emails (what was sent; also logged)\n"
        f"  Demo user {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
        f"  Admin     {ADMIN_EMAIL} / {ADMIN_PASSWORD} (the admins group)\n"
        "  Ctrl-C stops it.\n"
    )


def _serve(api: socket.socket, host: str, port: int) -> None:
    from app.local import emails
    from app.main import app
    from app.routing import load_all_routes

    load_all_routes(app)  # a long-lived server builds every route before its first request
    emails.mount(app)  # GET /local/emails: only `make run` serves it
    _Server(uvicorn.Config(app, host=host, port=port, log_level="info")).run(sockets=[api])


EMBEDDED_BUDGET_SECONDS = 30
EMBEDDED_COMPLETE_SECONDS = 25


def _run() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    api = listen(host, _port("PORT", 8000), "PORT")
    emulator: EmbeddedEmulator | None = None
    from app.local import background

    try:
        if not os.environ.get("AWS_ENDPOINT_URL"):
            emulator = _start_embedded_moto()
            os.environ["AWS_ENDPOINT_URL"] = emulator.url
            # The embedded emulator answers from this very process, far slower than AWS under
            # load, and uvicorn has no Lambda timeout to fit in: a wider request budget, so a
            # busy laptop gets slow answers rather than 503s (AWS_REQUEST_BUDGET_SECONDS wins).
            os.environ.setdefault("AWS_REQUEST_BUDGET_SECONDS", str(EMBEDDED_BUDGET_SECONDS))
            # moto assembles a completed multipart upload in Python (~3 s for 256 MiB, ~15 s
            # for 1 GiB): the completion may wait for it, within that budget.
            os.environ.setdefault(
                "AWS_COMPLETE_READ_TIMEOUT_SECONDS", str(EMBEDDED_COMPLETE_SECONDS)
            )
        port = port_of(api)
        _prepare_environment(host, port)
        _create_demo_users()
        background.start()
        print(_banner(f"http://{host}:{port}", emulator), flush=True)
        _serve(api, host, port)
    finally:
        background.stop()
        if emulator is not None:
            emulator.stop()
        api.close()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the emulator's access log
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    try:
        _run()
    except StartError as exc:
        raise SystemExit(str(exc)) from None  # one line on stderr, status 1
    except Interrupted as stop:
        _exit_now(128 + stop.signum)


def _exit_now(status: int) -> None:
    """Exit without the interpreter's teardown, once everything started has been stopped.

    Freeing moto's and botocore's objects one by one takes 1-2 s on a busy 2-core machine,
    which would be most of Ctrl-C's one-second budget; the OS reclaims them at once.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
