"""A real-shaped PostConfirmation event, re-aimed at a fresh user for each test."""

import copy
import json
import uuid
from pathlib import Path
from typing import Any

from tests.conftest import unique_email

EVENT = json.loads(
    (Path(__file__).parents[1] / "events" / "cognito_post_confirmation.json").read_text()
)


def confirmation_event(
    *,
    email: str | None = None,
    verified: bool = True,
    source: str = "PostConfirmation_ConfirmSignUp",
) -> dict[str, Any]:
    """tests/events/cognito_post_confirmation.json for a new user id and address."""
    event: dict[str, Any] = copy.deepcopy(EVENT)
    sub = str(uuid.uuid4())
    address = email or unique_email("confirmed")
    event["userName"] = sub
    event["triggerSource"] = source
    event["request"]["userAttributes"].update(
        {
            "sub": sub,
            "email": address,
            "cognito:email_alias": address,
            "email_verified": "true" if verified else "false",
        }
    )
    return event
