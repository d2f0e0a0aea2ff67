"""Sharing with an address that has no account: a pending share and an invitation email; the
share is the address's once it signs up and is verified, and can be withdrawn before."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.access import limits
from app.access.shares import ShareRecord
from app.clock import iso, utcnow
from app.notifications import messages
from app.notifications.messages import Invitation, SharedWithYou
from app.shares import service, throttle
from tests.conftest import PASSWORD, ApiUser, drain, unique_email
from tests.shares.conftest import Upload


def share(client: TestClient, owner: ApiUser, path: str, email: str) -> Any:
    return client.post(f"{path}/share", json={"email": email}, headers=owner.headers)


def shares_of(client: TestClient, owner: ApiUser, path: str) -> list[dict[str, Any]]:
    listed = client.get(f"{path}/shares", headers=owner.headers)
    assert listed.status_code == 200, listed.text
    return list(listed.json()["items"])


def sign_up(client: TestClient, email: str) -> ApiUser:
    """A local sign-up: confirmed and verified at once, through the PostConfirmation path."""
    signup = client.post("/auth/signup", json={"email": email, "password": PASSWORD})
    assert signup.status_code == 201, signup.text
    tokens = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json()
    return ApiUser(email, PASSWORD, signup.json()["userId"], tokens["accessToken"], "", "")


def queued(queue: str) -> list[messages.Notification]:
    return [messages.decode(message["Body"]) for message in drain(queue)]


def test_an_unknown_address_is_invited_with_a_pending_share_and_an_email(
    client: TestClient, upload: Upload, owner: ApiUser, queue: str
) -> None:
    file, email = upload(owner, name="plan.pdf"), unique_email("Invitee")
    path = f"/files/{file['fileId']}"

    response = share(client, owner, path, email)

    assert response.status_code == 201, response.text
    assert response.json() | {"sharedAt": None} == {
        "userId": None,
        "email": email.lower(),
        "sharedAt": None,
        "pending": True,
    }
    assert queued(queue) == [
        Invitation(
            email=email.lower(),
            owner_id=owner.user_id,
            subject_type="file",
            subject_id=file["fileId"],
            name="plan.pdf",
        )
    ]
    assert shares_of(client, owner, path) == [response.json()]
    again = share(client, owner, path, email.upper())
    assert again.status_code == 200 and again.json() == response.json()
    assert queued(queue) == []  # sharing again sends nothing


def test_the_invitation_is_delivered_when_the_address_signs_up_and_is_verified(
    client: TestClient, upload: Upload, owner: ApiUser, queue: str
) -> None:
    file, email = upload(owner), unique_email("later")
    path = f"/files/{file['fileId']}"
    assert share(client, owner, path, email).status_code == 201

    newcomer = sign_up(client, email)

    shared = client.get("/files/shared", headers=newcomer.headers).json()["items"]
    assert [item["fileId"] for item in shared] == [file["fileId"]]
    (entry,) = shares_of(client, owner, path)
    assert (entry["userId"], entry["pending"], entry["email"]) == (newcomer.user_id, False, email)
    assert client.get(f"{path}/download-url", headers=newcomer.headers).status_code == 200


def test_a_folder_invitation_is_delivered_as_a_folder_share(
    client: TestClient, owner: ApiUser, queue: str
) -> None:
    folder = client.post("/folders", json={"name": "Invited"}, headers=owner.headers).json()
    path, email = f"/folders/{folder['folderId']}", unique_email("folder-invitee")
    invited = share(client, owner, path, email)
    assert invited.status_code == 201 and invited.json()["pending"] is True
    (message,) = queued(queue)
    assert isinstance(message, Invitation) and message.subject_type == "folder"

    newcomer = sign_up(client, email)

    listed = client.get("/shared", headers=newcomer.headers).json()["items"]
    assert folder["folderId"] in str(listed)
    assert client.get(path, headers=newcomer.headers).status_code == 200


def test_a_withdrawn_invitation_is_never_delivered(
    client: TestClient, upload: Upload, owner: ApiUser, queue: str
) -> None:
    file, email = upload(owner), unique_email("withdrawn")
    path = f"/files/{file['fileId']}"
    assert share(client, owner, path, email).status_code == 201

    revoked = client.delete(f"{path}/shares/{email}", headers=owner.headers)

    assert revoked.status_code == 204
    assert shares_of(client, owner, path) == []
    newcomer = sign_up(client, email)
    assert client.get("/files/shared", headers=newcomer.headers).json()["items"] == []
    assert client.get(path, headers=newcomer.headers).status_code == 404


def test_sharing_with_an_account_holder_queues_a_shared_with_you_email(
    client: TestClient, upload: Upload, owner: ApiUser, recipient: ApiUser, queue: str
) -> None:
    file = upload(owner, name="notes.pdf")

    response = share(client, owner, f"/files/{file['fileId']}", recipient.email)

    assert response.status_code == 201 and response.json()["pending"] is False
    assert queued(queue) == [
        SharedWithYou(
            recipient_id=recipient.user_id,
            owner_id=owner.user_id,
            subject_type="file",
            subject_id=file["fileId"],
            name="notes.pdf",
        )
    ]


def test_an_invitation_to_something_already_shared_with_the_user_is_dropped(
    client: TestClient,
    upload: Upload,
    owner: ApiUser,
    make_user: Callable[..., ApiUser],
    queue: str,
) -> None:
    """Delivery keeps one share per user: the invitation goes and gives its place back."""
    file, email = upload(owner), unique_email("twice")
    invitation = ShareRecord(
        file_id=file["fileId"],
        user_id="",
        email=email,
        owner_id=owner.user_id,
        shared_at=iso(utcnow()),
        pending=True,
    )
    limits.add_share(invitation)
    someone = make_user("someone")
    share(client, owner, f"/files/{file['fileId']}", someone.email)

    assert limits.deliver_invitations(someone.user_id, email, iso(utcnow())) == []
    assert [s["userId"] for s in shares_of(client, owner, f"/files/{file['fileId']}")] == [
        someone.user_id
    ]


def test_a_malformed_address_is_422_and_nothing_is_written(
    client: TestClient, upload: Upload, owner: ApiUser, queue: str
) -> None:
    file = upload(owner)
    path = f"/files/{file['fileId']}"

    response = share(client, owner, path, "not-an-address")

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert shares_of(client, owner, path) == []
    assert queued(queue) == []


def test_an_owner_invites_at_most_a_days_worth_of_addresses(
    client: TestClient,
    upload: Upload,
    owner: ApiUser,
    recipient: ApiUser,
    queue: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "INVITATIONS_PER_OWNER", throttle.Limit("INVITES", 2, 3600))
    file = upload(owner)
    path = f"/files/{file['fileId']}"
    first, second = unique_email("one"), unique_email("two")
    assert share(client, owner, path, first).status_code == 201
    assert share(client, owner, path, second).status_code == 201

    refused = share(client, owner, path, unique_email("three"))

    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_invitations"
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert {s["email"] for s in shares_of(client, owner, path)} == {first, second}
    assert len(queued(queue)) == 2
    # Inviting an address again, or sharing with an account holder, is not an invitation.
    assert share(client, owner, path, first).status_code == 200
    assert share(client, owner, path, recipient.email).status_code == 201
