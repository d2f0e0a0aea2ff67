"""One-click unsubscribe: signed tokens, a page that changes nothing, a POST that stops one
kind of email, and a 404 problem for anything this service did not sign."""

import base64
import hashlib
import hmac
from collections.abc import Callable

from fastapi.testclient import TestClient

from app.notifications import repository, unsubscribe
from app.notifications.unsubscribe import Unsubscribe, read_token, token_for
from app.settings import get_settings
from app.users import repository as users
from tests.notifications.conftest import Person

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def test_a_token_reads_back_as_the_kind_and_subject_it_was_made_for() -> None:
    token = token_for("requests", "user-1")

    assert read_token(token) == Unsubscribe("requests", "user-1")
    assert read_token(token_for("invitations", "a:b@example.com")) == Unsubscribe(
        "invitations", "a:b@example.com"
    )


def test_a_changed_kind_subject_or_signature_is_not_a_token() -> None:
    token = token_for("shares", "user-1")
    payload, mac = token.split(".")
    forged = base64.urlsafe_b64encode(b"shares:user-2").decode().rstrip("=")

    assert read_token(f"{forged}.{mac}") is None
    assert read_token(f"{payload}.{mac[:-2]}AA") is None
    assert read_token(payload) is None
    assert read_token("") is None
    assert read_token("%%%.***") is None
    assert read_token(f"{payload}.{mac}x") is None


def test_the_token_key_is_derived_for_tokens_not_the_cursor_secret_itself() -> None:
    """Domain separation: bytes signed with the cursor secret as it is are no token."""
    payload = b"shares:user-1"
    secret = get_settings().cursor_secret.encode()
    with_cursor_secret = hmac.new(secret, payload, hashlib.sha256).digest()[:16]
    encoded, mac = (
        base64.urlsafe_b64encode(b).decode().rstrip("=") for b in (payload, with_cursor_secret)
    )

    assert read_token(f"{encoded}.{mac}") is None
    assert token_for("shares", "user-1") != f"{encoded}.{mac}"


def test_the_page_says_what_stops_and_changes_nothing(
    client: TestClient, person: Callable[..., Person]
) -> None:
    someone = person()
    page = client.get(f"/unsubscribe/{token_for('shares', someone.user_id)}")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Stop emails when someone shares a file or folder with you?" in page.text
    assert '<form method="post">' in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    profile = users.get_profile(someone.user_id)
    assert profile is not None and profile.notifications.shares is True


def test_a_one_click_post_turns_that_kind_off_and_only_that_kind(
    client: TestClient, person: Callable[..., Person]
) -> None:
    someone = person()
    url = f"/unsubscribe/{token_for('requests', someone.user_id)}"

    first = client.post(url, data=ONE_CLICK)
    again = client.post(url, data=ONE_CLICK)  # idempotent

    assert (first.status_code, again.status_code) == (200, 200)
    assert "no more emails about files that arrive through your upload requests" in first.text
    profile = users.get_profile(someone.user_id)
    assert profile is not None
    assert (profile.notifications.requests, profile.notifications.shares) == (False, True)


def test_the_pages_button_works_without_the_one_click_body(
    client: TestClient, person: Callable[..., Person]
) -> None:
    someone = person()
    assert (
        client.post(f"/unsubscribe/{token_for('rejections', someone.user_id)}").status_code == 200
    )
    profile = users.get_profile(someone.user_id)
    assert profile is not None and profile.notifications.rejections is False


def test_unsubscribing_an_address_from_invitations_suppresses_it(client: TestClient) -> None:
    token = token_for("invitations", "later@example.com")

    assert (
        "invitations to join Sharebox sent to later@example.com"
        in client.get(f"/unsubscribe/{token}").text
    )
    assert repository.invitations_suppressed("later@example.com") is False
    assert client.post(f"/unsubscribe/{token}", data=ONE_CLICK).status_code == 200
    assert repository.invitations_suppressed("LATER@example.com") is True


def test_a_tampered_token_is_a_404_problem_for_the_page_and_the_post(client: TestClient) -> None:
    payload, mac = token_for("shares", "user-1").split(".")
    tampered = f"/unsubscribe/{payload}.{mac[::-1]}"

    for response in (client.get(tampered), client.post(tampered, data=ONE_CLICK)):
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "unsubscribe_not_found"


def test_a_user_who_is_gone_unsubscribes_without_error_and_without_a_stub_profile(
    client: TestClient,
) -> None:
    url = f"/unsubscribe/{token_for('shares', 'no-such-user')}"

    assert client.post(url, data=ONE_CLICK).status_code == 200
    assert users.get_profile("no-such-user") is None
    unsubscribe.apply(Unsubscribe("shares", "no-such-user"))  # the service alike


def test_the_unsubscribe_routes_are_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    operations = paths["/unsubscribe/{token}"]
    assert set(operations) == {"get", "post"}
    assert "404" in operations["post"]["responses"]
