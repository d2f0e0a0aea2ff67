"""An owner's upload requests: create one for a folder (at most 20 live per folder), list a
folder's, revoke one. What a sender can do is app/requests/uploads.py."""

import secrets
from datetime import datetime, timedelta

from app.access import limits
from app.access import requests as repo
from app.access.requests import RequestRecord
from app.clock import iso
from app.pagination import decode_cursor, encode_cursor
from app.request_facts import page_url
from app.requests.schemas import (
    MAX_FILES,
    RequestCreate,
    RequestTerms,
    UploadRequest,
    UploadRequestList,
)
from app.settings import get_settings
from app.shares.links import MAX_TOKEN_CHARS, TOKEN_BYTES
from app.shares.passwords import hash_password
from app.tree.repository import FolderRecord


def max_file_bytes(request: RequestRecord) -> int:
    """The largest file the request takes: its own limit, never past the single-upload one."""
    limit = get_settings().single_upload_max_bytes
    return limit if request.max_file_bytes is None else min(request.max_file_bytes, limit)


def terms(request: RequestRecord) -> RequestTerms:
    """What the request asks for, as its owner and its senders see it."""
    return RequestTerms(
        title=request.title,
        message=request.message,
        expires_at=iso(request.expires_at),
        password_protected=request.password_hash is not None,
        max_files=request.max_files,
        max_file_bytes=max_file_bytes(request),
    )


def to_view(request: RequestRecord, base_url: str) -> UploadRequest:
    return UploadRequest(
        **dict(terms(request)),
        token=request.token,
        url=page_url(base_url, "r", request.token),
        folder_id=request.folder_id,
        files=request.received,
        created_at=iso(request.created_at),
    )


def create_request(
    folder: FolderRecord, body: RequestCreate, *, base_url: str, now: datetime
) -> UploadRequest:
    """A new request for the owner's folder; 409 `limit_reached` past 20 live ones."""
    request = RequestRecord(
        token=secrets.token_urlsafe(TOKEN_BYTES),
        folder_id=folder.folder_id,
        owner_id=folder.owner_id,
        title=body.title,
        message=body.message,
        created_at=now,
        # Whole seconds, so the stored epoch and the shown time agree on the last moment.
        expires_at=(now + timedelta(seconds=body.expires_in)).replace(microsecond=0),
        password_hash=hash_password(body.password) if body.password is not None else None,
        max_files=body.max_files or MAX_FILES,
        max_file_bytes=body.max_file_bytes,
    )
    limits.add_request(request, now)
    return to_view(request, base_url)


def list_requests(
    folder: FolderRecord, base_url: str, limit: int, cursor: str | None
) -> UploadRequestList:
    """One page of the folder's requests, newest first (expired ones stay a week, revoked
    ones go at once)."""
    scope = f"requests:{folder.folder_id}"
    page = repo.page_requests(folder.folder_id, limit, decode_cursor(cursor, scope))
    return UploadRequestList(
        items=[to_view(request, base_url) for request in page.items],
        next_cursor=encode_cursor(page.last_key, scope),
    )


def revoke_request(folder: FolderRecord, token: str) -> None:
    """Stop the request at once; a token that is not this folder's is a no-op."""
    if len(token) <= MAX_TOKEN_CHARS:
        limits.remove_request(token, folder.folder_id)
