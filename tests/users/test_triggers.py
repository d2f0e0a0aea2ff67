"""The PostConfirmation trigger with real-shaped Cognito events (tests/events/)."""

import copy
import logging

import pytest
from botocore.stub import Stubber

from app import aws as aws_clients
from app.local.bootstrap import LocalResources
from app.users import repository as users
from app.users.triggers import handler, post_confirmation
from tests.deploy.conftest import LambdaContext
from tests.users.conftest import confirmation_event


def test_a_confirmed_sign_up_gets_its_profile_and_email_lookup(aws: LocalResources) -> None:
    event = confirmation_event()
    attributes = event["request"]["userAttributes"]
    assert post_confirmation(copy.deepcopy(event)) == event
    profile = users.get_profile(attributes["sub"])
    assert profile is not None
    assert (profile.email, profile.name) == (attributes["email"], "Ada Lovelace")
    assert users.user_id_for_email(attributes["email"]) == attributes["sub"]


def test_running_the_trigger_again_is_harmless(aws: LocalResources) -> None:
    event = confirmation_event()
    attributes = event["request"]["userAttributes"]
    post_confirmation(copy.deepcopy(event))
    before = users.get_profile(attributes["sub"])
    assert handler(copy.deepcopy(event), LambdaContext()) == event  # the Lambda entry point
    assert users.get_profile(attributes["sub"]) == before
    assert users.user_id_for_email(attributes["email"]) == attributes["sub"]


def test_a_password_reset_confirmation_syncs_the_same_way(aws: LocalResources) -> None:
    event = confirmation_event(source="PostConfirmation_ConfirmForgotPassword")
    attributes = event["request"]["userAttributes"]
    assert post_confirmation(event) == event
    assert users.user_id_for_email(attributes["email"]) == attributes["sub"]


def test_an_unverified_email_in_the_event_is_not_looked_up(aws: LocalResources) -> None:
    event = confirmation_event(verified=False)
    attributes = event["request"]["userAttributes"]
    post_confirmation(event)
    assert users.get_profile(attributes["sub"]) is not None
    assert users.user_id_for_email(attributes["email"]) is None


def test_the_trigger_cannot_take_an_address_another_user_holds(aws: LocalResources) -> None:
    first = confirmation_event()
    email = first["request"]["userAttributes"]["email"]
    second = confirmation_event(email=email)
    post_confirmation(first)
    assert post_confirmation(second) == second
    assert users.user_id_for_email(email) == first["request"]["userAttributes"]["sub"]


def test_other_trigger_sources_are_returned_untouched(aws: LocalResources) -> None:
    event = confirmation_event(source="PreSignUp_SignUp")
    assert post_confirmation(copy.deepcopy(event)) == event
    assert users.get_profile(event["request"]["userAttributes"]["sub"]) is None


def test_a_failing_table_does_not_fail_the_users_confirmation(
    aws: LocalResources, caplog: pytest.LogCaptureFixture
) -> None:
    """Cognito has confirmed the user already; the next GET /users/me repeats the sync."""
    event = confirmation_event()
    with Stubber(aws_clients.client("dynamodb")) as stub, caplog.at_level(logging.WARNING):
        stub.add_client_error("get_item", "InternalServerError")
        assert post_confirmation(copy.deepcopy(event)) == event
    assert "profile sync after confirmation failed" in caplog.text
    assert users.get_profile(event["request"]["userAttributes"]["sub"]) is None
