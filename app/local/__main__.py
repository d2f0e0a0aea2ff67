"""`make run`: the embedded AWS emulator, its resources, a demo user, and the API under uvicorn.

Set AWS_ENDPOINT_URL to use an emulator that is already running (LocalStack, a standalone
moto server) instead of the embedded one; LOCAL_BOOTSTRAP=0 then skips creating resources
and expects USER_POOL_ID and friends in the environment.
"""

import logging
import os

import boto3
import uvicorn

from app.local.bootstrap import bootstrap

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Sharebox-demo-1"
log = logging.getLogger("sharebox.local")


def _start_embedded_moto(host: str, port: int) -> str:
    from moto.server import ThreadedMotoServer

    from app.local.atomic import serialize_dynamodb

    serialize_dynamodb()  # the worker's poller and the API race on the same items
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    return f"http://{host}:{port}"


def _prepare_environment(host: str, port: int) -> None:
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ.setdefault("AWS_REGION", "us-east-1")
    os.environ.setdefault("LOCAL_MODE", "true")
    if not os.environ.get("AWS_ENDPOINT_URL"):
        moto_port = int(os.environ.get("MOTO_PORT", "5050"))
        os.environ["AWS_ENDPOINT_URL"] = _start_embedded_moto("127.0.0.1", moto_port)
    origins = {f"http://{host}:{port}", f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    os.environ.setdefault("CORS_ORIGINS", _json_list(sorted(origins)))
    os.environ.setdefault("PUBLIC_BASE_URL", f"http://{host}:{port}")
    if os.environ.get("LOCAL_BOOTSTRAP", "1") != "0":
        endpoint, region = os.environ["AWS_ENDPOINT_URL"], os.environ["AWS_REGION"]
        clients = {
            name: boto3.client(name, endpoint_url=endpoint, region_name=region)
            for name in ("cognito-idp", "dynamodb", "s3", "sqs")
        }
        resources = bootstrap(clients, origins=sorted(origins))
        for key, value in resources.environment().items():
            os.environ.setdefault(key, value)


def _json_list(values: list[str]) -> str:
    import json

    return json.dumps(values)


def _create_demo_user() -> None:
    from app.auth import cognito
    from app.errors import AppError
    from app.users import triggers

    try:
        cognito.sign_up(DEMO_EMAIL, DEMO_PASSWORD, "Demo User")
        event = cognito.local_confirmation_event(DEMO_EMAIL)
        if event is not None:  # what Cognito's PostConfirmation trigger does on AWS
            triggers.post_confirmation(event)
    except AppError as exc:
        if exc.code != "email_taken":
            raise


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the emulator's access log
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8000"))
    _prepare_environment(host, port)
    _create_demo_user()
    from app.local import background

    background.start()
    base = f"http://{host}:{port}"
    print(
        "\n  Sharebox is running (embedded AWS at {aws})\n"
        "  API       {base}\n  Docs      {base}/docs\n  Web page  {base}/\n"
        "  Demo user {email} / {password}\n".format(
            aws=os.environ["AWS_ENDPOINT_URL"], base=base, email=DEMO_EMAIL, password=DEMO_PASSWORD
        ),
        flush=True,
    )
    from app.main import app
    from app.routing import load_all_routes

    load_all_routes(app)  # a long-lived server builds every route before its first request
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        background.stop()


if __name__ == "__main__":
    main()
