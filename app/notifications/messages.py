"""What is queued for the notifications sender: one small JSON message per event.

Messages carry ids and the few facts the email names; the sender reads the recipient's
address and preferences when it sends, so a later unsubscribe or address change is honoured.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic.alias_generators import to_camel


class _Message(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class SharedWithYou(_Message):
    """A file or folder was shared with a user who has an account."""

    kind: Literal["shared"] = "shared"
    recipient_id: str
    owner_id: str
    subject_type: Literal["file", "folder"]
    subject_id: str
    name: str


class Invitation(_Message):
    """A file or folder was shared with an address that has no account yet."""

    kind: Literal["invitation"] = "invitation"
    email: str
    owner_id: str
    subject_type: Literal["file", "folder"]
    subject_id: str
    name: str


class RequestReceived(_Message):
    """A file sent through an upload request was verified and is in the owner's folder."""

    kind: Literal["request_received"] = "request_received"
    owner_id: str
    request_token: str
    title: str
    file_id: str
    file_name: str
    uploader_name: str | None = None
    folder_id: str | None = None  # where the files land: the email links there when known


class RequestFlush(_Message):
    """The sender's own delayed message: the end of a request's quiet window, when the
    receipts that waited for it go out in one email (app/notifications/digests.py)."""

    kind: Literal["request_flush"] = "request_flush"
    owner_id: str
    request_token: str
    title: str
    folder_id: str | None = None
    flush_id: str  # which scheduled flush this is; an older one finds another and does nothing


class UploadRejected(_Message):
    """An upload of the user's own failed verification."""

    kind: Literal["rejected"] = "rejected"
    owner_id: str
    file_id: str
    file_name: str
    reason: str


Notification = Annotated[
    SharedWithYou | Invitation | RequestReceived | RequestFlush | UploadRejected,
    Field(discriminator="kind"),
]
NOTIFICATION: TypeAdapter[Notification] = TypeAdapter(Notification)


def encode(message: Notification) -> str:
    return message.model_dump_json(by_alias=True)


def decode(body: str) -> Notification:
    """The message a queued body holds; pydantic's ValidationError for anything else."""
    return NOTIFICATION.validate_json(body)
