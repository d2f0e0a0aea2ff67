"""Where profiles come from besides the trigger: the first log-in and `make run`'s demo user."""

import base64
import json
import uuid

from botocore.stub import Stubber
from fastapi.testclient import TestClient

from app import aws as aws_clients
from app.local.bootstrap import LocalResources
from app.users import repository as users
from tests.conftest import PASSWORD, unique_email


def cognito_id_token(claims: dict[str, object]) -> str:
    """An ID token as InitiateAuth returns it (the API reads its claims, not its signature)."""

    def segment(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{segment({'alg': 'RS256'})}.{segment(claims)}.c2ln"


def log_in_as(client: TestClient, email: str, *, verified: object, sub: str = "") -> str:
    sub = sub or str(uuid.uuid4())
    claims = {"sub": sub, "email": email, "token_use": "id", "email_verified": verified}
    result = {
        "AuthenticationResult": {
            "AccessToken": "access",
            "IdToken": cognito_id_token(claims),
            "RefreshToken": "refresh",
            "ExpiresIn": 3600,
        }
    }
    with Stubber(aws_clients.client("cognito-idp")) as stub:
        stub.add_response("initiate_auth", result)
        response = client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return sub


def test_a_first_log_in_with_a_verified_id_token_maps_the_address(client: TestClient) -> None:
    email = unique_email("first-login")
    sub = log_in_as(client, email, verified=True)
    assert users.user_id_for_email(email) == sub


def test_a_first_log_in_with_an_unverified_email_creates_only_the_profile(
    client: TestClient,
) -> None:
    email = unique_email("first-login")
    sub = log_in_as(client, email, verified=False)
    profile = users.get_profile(sub)
    assert profile is not None and profile.email == email
    assert users.user_id_for_email(email) is None


def test_a_profile_from_before_verified_lookups_regains_its_address_on_log_in(
    client: TestClient,
) -> None:
    sub, email = str(uuid.uuid4()), unique_email("legacy")
    users.save_profile(sub, email)  # what the old code left: a profile, no verifiedEmail
    log_in_as(client, email, verified=True, sub=sub)
    profile = users.get_profile(sub)
    assert profile is not None and profile.verified_email == email
    assert users.user_id_for_email(email) == sub


def test_make_runs_demo_user_and_admin_are_seeded_through_the_same_confirmation_code(
    aws: LocalResources,
) -> None:
    from app.local.__main__ import ADMIN_EMAIL, DEMO_EMAIL, _create_demo_users

    _create_demo_users()
    _create_demo_users()  # a restart against the same emulator keeps the users
    for email, name in ((DEMO_EMAIL, "Demo User"), (ADMIN_EMAIL, "Admin")):
        user_id = users.user_id_for_email(email)
        profile = users.get_profile(user_id or "")
        assert profile is not None
        assert (profile.email, profile.name, profile.verified_email) == (email, name, email)
    groups = aws_clients.client("cognito-idp").admin_list_groups_for_user(
        UserPoolId=aws.user_pool_id, Username=ADMIN_EMAIL
    )["Groups"]
    assert [group["GroupName"] for group in groups] == ["admins"]
