"""What a sender can do with an upload request, without an account: see what is asked, and
send files into the owner's folder, one presigned POST each. Nothing else: no route lists,
reads or downloads anything through a request.

Every way a request can stop taking files (unknown, expired, revoked, its folder in the trash
or gone) answers the same 404 `request_not_found`. A refused upload writes nothing but the
attempt counters: the file, its quota reservation and its place in the request are one
transaction (`app.files.service.open_pending`).
"""

from datetime import datetime

from app.access import requests as repo
from app.access.requests import RequestClosed, RequestRecord
from app.activity import log as activity
from app.files import service as files
from app.files.errors import FileTooLarge
from app.files.requested import UploadedBy
from app.files.schemas import FileCreate
from app.requests.errors import RequestFull, RequestNotFound, TooManyUploads, WrongRequestPassword
from app.requests.schemas import RequestInfo, RequestUpload, RequestUploadTicket
from app.requests.service import max_file_bytes, terms
from app.shares import throttle
from app.shares.links import MAX_TOKEN_CHARS
from app.tree import repository as tree
from app.tree.errors import FolderNotFound
from app.users import repository as users

# New uploads, in fixed 5-minute windows: per client IP over all requests, and per request
# from anywhere (several people may send to one request at once).
UPLOADS_PER_IP = throttle.Limit("UPLOADS", 100)
UPLOADS_PER_REQUEST = throttle.Limit("UPLOADS", 300)
OWNER_FALLBACK = "A Sharebox user"


def _open(token: str, now: datetime) -> RequestRecord:
    """A request that takes files now, in a folder that is there (not in the trash)."""
    request = repo.get_request(token) if len(token) <= MAX_TOKEN_CHARS else None
    if request is None or not request.usable_at(now):
        raise RequestNotFound()
    folder = tree.get_folder(request.folder_id)
    if folder is None or folder.purging or folder.owner_id != request.owner_id:
        raise RequestNotFound()
    return request


def owner_name(owner_id: str) -> str:
    """The owner's profile name; never their email (not even when they typed it as a name)."""
    profile = users.get_profile(owner_id)
    name = (profile.name or "").strip() if profile else ""
    if not name or (profile is not None and name.lower() == profile.email.lower()):
        return OWNER_FALLBACK
    return name


def request_info(token: str, now: datetime) -> RequestInfo:
    """What a sender sees before sending; counts nothing."""
    request = _open(token, now)
    return RequestInfo(**dict(terms(request)), owner_name=owner_name(request.owner_id))


def start_upload(
    token: str, body: RequestUpload, *, ip: str | None, now: datetime
) -> RequestUploadTicket:
    """Check the request, its password and limits, then reserve the owner's quota and a place
    in the request with the pending file (one transaction) and hand out the form."""
    request = _open(token, now)
    if request.password_hash is not None and not throttle.password_matches(
        request.password_hash,
        body.password,
        kind=throttle.REQUEST,
        token=token,
        ip=ip,
        now=now,
        right_is_free=True,  # a sender gives it with each file: only wrong ones are guesses
    ):
        raise WrongRequestPassword()
    largest = max_file_bytes(request)
    if body.size > largest:
        raise FileTooLarge(f"This request takes files of at most {largest} bytes.")
    if request.full:  # its abandoned uploads' places come back once their forms expired
        files.sweep_expired(request.owner_id)
        request = _open(token, now)
        if request.full:
            raise RequestFull()
    retry_after = throttle.spend(
        throttle.REQUEST, token, ip, per_subject=UPLOADS_PER_REQUEST, per_ip=UPLOADS_PER_IP, now=now
    )
    if retry_after is not None:
        raise TooManyUploads(retry_after=retry_after)
    window = files.single_upload_window(body.size, "a smaller file")
    sender = UploadedBy(
        request_token=token,
        title=request.title,
        name=body.uploader_name,
        email=body.uploader_email,
    )
    declared = FileCreate(
        file_name=body.file_name,
        content_type=body.content_type,
        size=body.size,
        folder_id=request.folder_id,
        sha256=body.sha256,
    )
    try:
        record = files.open_pending(request.owner_id, declared, window, uploaded_by=sender)
    except FolderNotFound as gone:
        raise RequestNotFound() from gone
    except RequestClosed as closed:
        raise _why_closed(token, now) from closed
    activity.record(
        request.folder_id,
        "request_upload",
        actor=activity.Actor(email=sender.email, name=sender.name, request_token=token),
        ip=ip,
        at=now,
        file=activity.FileRef(record.file_id, record.file_name),
    )
    upload = files.upload_form(record.file_id, record.content_type, record.size, window)
    return RequestUploadTicket(file_id=record.file_id, upload=upload)


def _why_closed(token: str, now: datetime) -> RequestFull | RequestNotFound:
    """Why the request refused a place it seemed to have: filled, or closed, meanwhile."""
    request = repo.get_request(token)
    if request is not None and request.usable_at(now) and request.full:
        return RequestFull()
    return RequestNotFound()
