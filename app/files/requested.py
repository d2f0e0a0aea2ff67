"""Files sent through an upload request: who sent one (`uploadedBy`, an attribute of the file
item whose shape lives only here), the request counters its transitions move in their own
transactions, and the owner's notification once it is received.

A file sent through an upload request holds one of the request's places (`slots`) from its
declaration for as long as it may still arrive or has arrived: its place is given back with
its reservation (the upload window closed unused, the upload was rejected, or the pending file
was deleted), so an abandoned upload never keeps a place. A verified file counts as received.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.access import requests
from app.clock import utcnow
from app.notifications import outbox
from app.notifications.messages import RequestReceived


@dataclass(frozen=True)
class UploadedBy:
    """Who sent a file through an upload request (as they gave it), and which request."""

    request_token: str
    title: str  # the request's, for the owner's notification once the file is verified
    name: str | None = None
    email: str | None = None


def to_map(by: UploadedBy | None) -> dict[str, str] | None:
    if by is None:
        return None
    values = {
        "requestToken": by.request_token,
        "title": by.title,
        "name": by.name,
        "email": by.email,
    }
    return {key: value for key, value in values.items() if value}


def from_map(values: dict[str, Any] | None) -> UploadedBy | None:
    if not values:
        return None
    return UploadedBy(
        request_token=values["requestToken"],
        title=values.get("title", ""),
        name=values.get("name"),
        email=values.get("email"),
    )


def place_taken(by: UploadedBy | None, now: datetime) -> list[dict[str, Any]]:
    """Its declaration's share: a place of a live request with room (else the transaction
    fails on it)."""
    return [] if by is None else [requests.slot_taken(by.request_token, now)]


def place_given_back(by: UploadedBy | None, *, received: bool = False) -> list[dict[str, Any]]:
    """Its reservation ended without a file (or a received file was rejected after all)."""
    if by is None:
        return []
    return [requests.counters(by.request_token, slots=-1, received=-int(received), now=utcnow())]


def received(by: UploadedBy | None, *, held: bool) -> list[dict[str, Any]]:
    """Its verification's share: received, in the place it holds; one whose place was given
    back (its window closed before it landed) needs a place again."""
    if by is None:
        return []
    if held:
        return [requests.counters(by.request_token, received=1, now=utcnow())]
    return [requests.slot_retaken(by.request_token)]


def has_place(by: UploadedBy | None) -> bool:
    """Whether a file whose place was given back could be received now (any other can)."""
    return by is None or requests.has_room(by.request_token)


def announce(
    by: UploadedBy | None,
    *,
    owner_id: str,
    file_id: str,
    file_name: str,
    folder_id: str | None = None,
) -> None:
    """Queue the owner's notification of a received file; called once per file, by the
    verification that made it available (a lost message never fails it). Its email links to
    `folder_id`, where the file landed."""
    if by is not None:
        outbox.enqueue(
            RequestReceived(
                owner_id=owner_id,
                request_token=by.request_token,
                title=by.title,
                file_id=file_id,
                file_name=file_name,
                uploader_name=by.name,
                folder_id=folder_id,
            )
        )
