"""Sending through Amazon SES (API v2, raw content), the one place that talks to it.

Raw content because the simple form cannot carry the List-Unsubscribe headers RFC 8058 asks
for. In local mode each email sent is also logged (To, Subject, text) for the developer;
on AWS, the log holds no addresses or content.
"""

import logging

from botocore.exceptions import BotoCoreError, ClientError

from app.aws import client
from app.errors import aws_error_code
from app.notifications.emails import Email, to_mime
from app.settings import get_settings

log = logging.getLogger("sharebox.notifications")


class SendFailed(Exception):
    """SES did not take the email: `code` and `reason` as SES gave them."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code, self.reason = code, reason


def send(email: Email, sender: str) -> str:
    """Hand `email` to SES from `sender`; returns SES's message id."""
    try:
        answer = client("sesv2").send_email(
            FromEmailAddress=sender,
            Destination={"ToAddresses": [email.to]},
            Content={"Raw": {"Data": to_mime(email, sender)}},
        )
    except ClientError as exc:
        message = str(exc.response.get("Error", {}).get("Message", ""))
        raise SendFailed(aws_error_code(exc), message) from exc
    except BotoCoreError as exc:
        raise SendFailed(type(exc).__name__, str(exc)) from exc
    message_id = str(answer.get("MessageId", ""))
    if get_settings().local_mode:
        log.info("email sent to %s: %s\n%s", email.to, email.subject, email.text)
    return message_id
