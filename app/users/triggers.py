"""Cognito's PostConfirmation trigger: a confirmed user's profile and verified email lookup.

Cognito calls it after a sign-up is confirmed with the emailed code
(`PostConfirmation_ConfirmSignUp`) and after a password reset is confirmed with one
(`PostConfirmation_ConfirmForgotPassword`). Both run the same idempotent sync from the
attributes in the event, so a reset also heals a profile or lookup that is missing; only
`email_verified == "true"` there makes the address resolve for sharing.
"""

import logging
from typing import Any

from app.errors import ServiceUnavailable
from app.observability import lambda_entry
from app.users.service import sync_profile

logger = logging.getLogger("sharebox.users")

SOURCES = {"PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword"}


def post_confirmation(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Sync the profile from `event["request"]["userAttributes"]`; returns the event unchanged."""
    if event.get("triggerSource") not in SOURCES:
        return event
    attributes: dict[str, str] = event["request"]["userAttributes"]
    try:
        sync_profile(
            attributes["sub"],
            attributes.get("email", ""),
            verified=attributes.get("email_verified") == "true",
            name=attributes.get("name"),
        )
    except ServiceUnavailable:
        # Raising would fail the user's confirm call although Cognito has confirmed them; the
        # next log-in or GET /users/me runs the same sync from Cognito's attributes.
        logger.warning("profile sync after confirmation failed", exc_info=True)
    return event


# The Lambda entry point (UserPool LambdaConfig.PostConfirmation in template.yaml).
handler = lambda_entry(post_confirmation)
