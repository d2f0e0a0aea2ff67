"""The moto world, built once per test session, and the clients and users tests share."""

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from moto.utilities.utils import load_resource

# Before anything reads settings: a fake account, no endpoint override (moto patches boto3).
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "LOCAL_MODE": "true",
        "CURSOR_SECRET": "test-cursor-secret",
        # In-process moto is slow and gets slower as the session's table grows (its
        # TransactWriteItems copies the table): the 10 s budget would refuse calls that are
        # merely slow here. Tests of the budget set their own (`tight_budget`).
        "AWS_REQUEST_BUDGET_SECONDS": "120",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)

from app import aws as aws_clients
from app.auth.dependencies import current_user
from app.auth.tokens import Jwks, TokenVerifier
from app.files.dependencies import owned_file, readable_file
from app.local.bootstrap import LocalResources, bootstrap
from app.local.sign_out import sign_out_by_user
from app.settings import get_settings
from tests.moto_transactions import small_rollbacks

MOTO_PUBLIC_JWKS: dict[str, Any] = load_resource("cognitoidp/resources/jwks-public.json")
MOTO_PRIVATE_JWK: dict[str, Any] = load_resource("cognitoidp/resources/jwks-private.json")
PASSWORD = "Correct-horse-1"
_counter = itertools.count()


def reload_settings() -> None:
    get_settings.cache_clear()
    aws_clients.reset()


@pytest.fixture(scope="session")
def aws() -> Iterator[LocalResources]:
    """Every AWS resource of template.yaml, in moto, for the whole session."""
    from moto import mock_aws

    undo_sign_out = sign_out_by_user()  # as Cognito: an admin's sign-out reaches every token
    with mock_aws(), small_rollbacks():
        clients = {
            name: boto3.client(name, region_name="us-east-1")
            for name in ("cognito-idp", "dynamodb", "s3", "sqs", "sesv2")
        }
        resources = bootstrap(
            clients, origins=["http://127.0.0.1:8000"], sender_email="noreply@sharebox.local"
        )
        os.environ.update(resources.environment())
        reload_settings()
        yield resources
    undo_sign_out()


@pytest.fixture
def moto_server(aws: LocalResources) -> Iterator[str]:
    """The session's moto world behind a real HTTP server, and the app pointed at it.

    The server runs in this process, so it serves the same backends `mock_aws` patches;
    mock_aws only intercepts AWS hostnames, so boto3 and httpx calls to its 127.0.0.1 URL go
    over real HTTP (presigned POSTs, S3 -> SQS notifications) and see the same data.
    """
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    reload_settings()
    try:
        yield endpoint
    finally:
        os.environ.pop("AWS_ENDPOINT_URL", None)
        reload_settings()
        server.stop()


def moto_verifier(fetch: Callable[[str], dict[str, Any]] | None = None) -> TokenVerifier:
    settings = get_settings()
    return TokenVerifier(
        issuer=settings.issuer,
        client_id=settings.user_pool_client_id,
        jwks=Jwks(settings.jwks_url, fetch or (lambda _url: MOTO_PUBLIC_JWKS)),
        leeway=settings.jwt_leeway_seconds,
    )


def trust_moto_tokens(application: FastAPI) -> None:
    """The app's callers are verified against moto's signing keys (no JWKS fetch): every
    dependency that verifies a token is replaced by one with that verifier."""
    trusted = moto_verifier()
    for dependency in (current_user, owned_file, readable_file):
        application.dependency_overrides[dependency] = type(dependency)(lambda: trusted)


@pytest.fixture(scope="session")
def app(aws: LocalResources) -> FastAPI:
    from app.main import create_app

    application = create_app()
    trust_moto_tokens(application)
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{next(_counter)}-{uuid.uuid4().hex[:8]}@example.com"


@dataclass
class ApiUser:
    email: str
    password: str
    user_id: str
    access_token: str
    refresh_token: str
    id_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


@pytest.fixture
def make_user(client: TestClient) -> Callable[..., ApiUser]:
    """Sign up and log in a fresh user through the API."""

    def make(prefix: str = "user") -> ApiUser:
        email = unique_email(prefix)
        signup = client.post("/auth/signup", json={"email": email, "password": PASSWORD})
        assert signup.status_code == 201, signup.text
        login = client.post("/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        tokens = login.json()
        return ApiUser(
            email=email,
            password=PASSWORD,
            user_id=signup.json()["userId"],
            access_token=tokens["accessToken"],
            refresh_token=tokens["refreshToken"],
            id_token=tokens["idToken"],
        )

    return make


@pytest.fixture
def user(make_user: Callable[..., ApiUser]) -> ApiUser:
    return make_user("owner")


# A tight AWS time budget, so tests of a silent dependency take a second, not fifteen.
TIGHT = {
    "AWS_CONNECT_TIMEOUT_SECONDS": "0.2",
    "AWS_READ_TIMEOUT_SECONDS": "0.4",
    "AWS_COMPLETE_READ_TIMEOUT_SECONDS": "1.2",
    "AWS_MAX_ATTEMPTS": "3",
    "AWS_REQUEST_BUDGET_SECONDS": "2.5",
    "RETRY_AFTER_SECONDS": "7",
}


@pytest.fixture
def tight_budget(aws: object) -> Iterator[dict[str, str]]:
    """The budget's settings scaled down (the clients are rebuilt with its timeouts)."""
    before = {name: os.environ.get(name) for name in TIGHT}
    os.environ.update(TIGHT)
    reload_settings()
    try:
        yield TIGHT
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reload_settings()


def drain(queue_url: str) -> list[dict[str, Any]]:
    """Every message waiting in the queue, received and deleted (PurgeQueue allows one a minute)."""
    sqs, taken = aws_clients.client("sqs"), []
    while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages"):
        for message in batch:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        taken += batch
    return taken


@pytest.fixture
def queue(aws: LocalResources) -> Iterator[str]:
    """The notifications queue, empty at the start of the test and after it."""
    drain(aws.notifications_queue_url)
    yield aws.notifications_queue_url
    drain(aws.notifications_queue_url)
