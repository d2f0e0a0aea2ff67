"""Sharing by email reaches only an address Cognito has verified for that user; any other
address is invited (a pending share), and nobody receives it until the address is verified.

moto's Cognito loses a user whose email changes, so the email-change flow stubs the one
GetUser call GET /users/me makes (botocore Stubber on the app's own client).
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.stub import Stubber
from fastapi.testclient import TestClient

from app import aws as aws_clients
from app.settings import get_settings
from tests.conftest import PASSWORD, ApiUser, reload_settings, unique_email
from tests.shares.conftest import Upload


def share(client: TestClient, owner: ApiUser, file: dict[str, Any], email: str) -> Any:
    return client.post(
        f"/files/{file['fileId']}/share", json={"email": email}, headers=owner.headers
    )


def assert_invited(response: Any, email: str) -> None:
    assert response.status_code in (200, 201), response.text
    assert response.json()["pending"] is True
    assert response.json()["userId"] is None
    assert response.json()["email"] == email.lower()


def shared_with(client: TestClient, user: ApiUser) -> list[str]:
    listed = client.get("/files/shared", headers=user.headers)
    assert listed.status_code == 200, listed.text
    return [item["fileId"] for item in listed.json()["items"]]


@pytest.fixture
def confirmation_required(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Deployed behaviour: sign-ups wait for the emailed code."""
    monkeypatch.setenv("LOCAL_MODE", "false")
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()


def made_outside_the_api(client: TestClient, *, verified: bool) -> ApiUser:
    """A user an administrator created in Cognito, logged in through the API."""
    cognito = aws_clients.client("cognito-idp")
    email = unique_email("console")
    cognito.admin_create_user(
        UserPoolId=get_settings().user_pool_id,
        Username=email,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true" if verified else "false"},
        ],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(
        UserPoolId=get_settings().user_pool_id, Username=email, Password=PASSWORD, Permanent=True
    )
    tokens = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json()
    me = client.get("/users/me", headers={"Authorization": f"Bearer {tokens['accessToken']}"})
    assert me.status_code == 200, me.text
    return ApiUser(email, PASSWORD, me.json()["userId"], tokens["accessToken"], "", "")


def test_a_sign_up_not_yet_confirmed_receives_no_share(
    client: TestClient, upload: Upload, owner: ApiUser, confirmation_required: None
) -> None:
    email = unique_email("unconfirmed")
    signup = client.post("/auth/signup", json={"email": email, "password": PASSWORD})
    assert signup.status_code == 201 and signup.json()["confirmed"] is False
    assert_invited(share(client, owner, upload(owner), email), email)


def test_a_user_with_an_unverified_email_is_only_invited_until_they_verify_it(
    client: TestClient, upload: Upload, owner: ApiUser
) -> None:
    unverified = made_outside_the_api(client, verified=False)
    file = upload(owner)
    response = share(client, owner, file, unverified.email)
    assert_invited(response, unverified.email)
    assert unverified.user_id not in response.text
    assert file["fileId"] not in shared_with(client, unverified)

    me_while(client, unverified, unverified.email, verified=True)

    assert shared_with(client, unverified) == [file["fileId"]]
    listed = client.get(f"/files/{file['fileId']}/shares", headers=owner.headers).json()
    assert [(s["userId"], s["pending"]) for s in listed["items"]] == [(unverified.user_id, False)]


def test_a_user_made_outside_the_api_with_a_verified_email_is_shared_with(
    client: TestClient, upload: Upload, owner: ApiUser
) -> None:
    verified = made_outside_the_api(client, verified=True)
    response = share(client, owner, upload(owner), verified.email)
    assert response.status_code == 201, response.text
    assert response.json()["userId"] == verified.user_id


def cognito_says(user: ApiUser, email: str, *, verified: bool) -> Stubber:
    """The app's Cognito client answering GetUser for `user` with these attributes."""
    stub = Stubber(aws_clients.client("cognito-idp"))
    attributes = [
        {"Name": "sub", "Value": user.user_id},
        {"Name": "email", "Value": email},
        {"Name": "email_verified", "Value": "true" if verified else "false"},
    ]
    stub.add_response(
        "get_user",
        {"Username": user.user_id, "UserAttributes": attributes},
        {"AccessToken": user.access_token},
    )
    return stub


def me_while(client: TestClient, user: ApiUser, email: str, *, verified: bool) -> Any:
    with cognito_says(user, email, verified=verified) as stub:
        response = client.get("/users/me", headers=user.headers)
        stub.assert_no_pending_responses()
    assert response.status_code == 200, response.text
    return response.json()


def test_a_second_user_cannot_take_over_an_address_the_first_holds(
    client: TestClient, upload: Upload, owner: ApiUser, recipient: ApiUser, stranger: ApiUser
) -> None:
    me = me_while(client, stranger, recipient.email, verified=True)
    assert me["userId"] == stranger.user_id
    response = share(client, owner, upload(owner), recipient.email)
    assert response.status_code == 201
    assert response.json()["userId"] == recipient.user_id


def test_a_verified_email_change_moves_shares_to_the_new_address(
    client: TestClient, upload: Upload, owner: ApiUser, recipient: ApiUser
) -> None:
    new = unique_email("changed")
    assert me_while(client, recipient, new, verified=True)["email"] == new
    file = upload(owner)
    moved = share(client, owner, file, new)
    assert moved.status_code == 201 and moved.json()["userId"] == recipient.user_id
    assert_invited(share(client, owner, file, recipient.email), recipient.email)


def test_an_address_set_without_verifying_it_receives_no_share(
    client: TestClient, upload: Upload, owner: ApiUser, recipient: ApiUser
) -> None:
    new = unique_email("unverified")
    me_while(client, recipient, new, verified=False)
    file = upload(owner)
    assert_invited(share(client, owner, file, new), new)
    assert_invited(share(client, owner, file, recipient.email), recipient.email)
    assert file["fileId"] not in shared_with(client, recipient)


def test_users_made_through_the_api_are_shared_with_by_email(
    client: TestClient, upload: Upload, make_user: Callable[..., ApiUser], owner: ApiUser
) -> None:
    """The control: local sign-ups are confirmed and verified, and run the same trigger."""
    someone = make_user("someone")
    response = share(client, owner, upload(owner), someone.email)
    assert response.status_code == 201 and response.json()["userId"] == someone.user_id
