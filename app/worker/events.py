"""S3 notifications inside SQS messages: the objects a message announces, keys decoded."""

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus


class MalformedMessage(ValueError):
    """A message body that is not an S3 notification: retrying it cannot help."""


@dataclass(frozen=True)
class CreatedObject:
    """One `ObjectCreated` record: where the object is and what S3 said about it."""

    bucket: str
    key: str
    size: int | None
    etag: str | None
    event_name: str


def parse_body(body: str) -> list[CreatedObject]:
    """The created objects in one message body; none for `s3:TestEvent` and other events."""
    try:
        notification = json.loads(body)
    except json.JSONDecodeError as exc:
        raise MalformedMessage("The message body is not JSON.") from exc
    if not isinstance(notification, dict):
        raise MalformedMessage("The message body is not a JSON object.")
    # S3 sends one of these when a notification is configured; it has no Records.
    if notification.get("Event") == "s3:TestEvent":
        return []
    records = notification.get("Records")
    if not isinstance(records, list):
        raise MalformedMessage("The message body has no Records list.")
    return [obj for obj in map(_created_object, records) if obj is not None]


def _created_object(record: Any) -> CreatedObject | None:
    if not isinstance(record, dict):
        raise MalformedMessage("A record is not a JSON object.")
    event_name = str(record.get("eventName", ""))
    if not event_name.startswith("ObjectCreated:"):
        return None
    try:
        s3 = record["s3"]
        bucket, obj = s3["bucket"]["name"], s3["object"]
        # Keys arrive URL-encoded: spaces as `+`, a literal `+` as `%2B`.
        key = unquote_plus(obj["key"])
    except (KeyError, TypeError) as exc:
        raise MalformedMessage("A record lacks its bucket or object key.") from exc
    size = obj.get("size")
    return CreatedObject(
        bucket=bucket,
        key=key,
        size=int(size) if size is not None else None,
        etag=obj.get("eTag"),
        event_name=event_name,
    )


def file_id_for_key(key: str, uploads_prefix: str) -> str | None:
    """The file id an upload key names, or None for keys outside the uploads prefix."""
    if not key.startswith(uploads_prefix):
        return None
    file_id = key[len(uploads_prefix) :]
    if not file_id or "/" in file_id:
        return None
    return file_id
