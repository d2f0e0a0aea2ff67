"""The files routes: thin wrappers over service functions (API.md, "Authenticated")."""

from fastapi import APIRouter, Query, Response, status

from app.auth.dependencies import CurrentUser
from app.blocking import run_blocking
from app.errors import problem_responses
from app.files import downloads, multipart, service
from app.files.dependencies import OwnedFile, ReadableFile
from app.files.schemas import (
    Disposition,
    DownloadUrl,
    File,
    FileCreate,
    FilePage,
    FileUpdate,
    MultipartComplete,
    MultipartCreate,
    MultipartStatus,
    MultipartTicket,
    ThumbnailUrl,
    UploadTicket,
)
from app.pagination import Cursor, Limit
from app.request_facts import ClientIp
from app.routing import AppRoute

router = APIRouter(prefix="/files", tags=["files"], route_class=AppRoute)


# The two reads first: FastAPI tries routes in order, and these are most of the traffic.
@router.get("", responses=problem_responses(400, 401))
async def list_files(user: CurrentUser, limit: Limit = 50, cursor: Cursor = None) -> FilePage:
    """Your files, newest first; pass `nextCursor` back as `cursor` for the next page."""
    return await run_blocking(service.list_files, user.id, limit, cursor)


# Before `/{fileId}`, which would take it.
@router.get("/shared", responses=problem_responses(400, 401), tags=["sharing"])
async def shared_with_me(user: CurrentUser, limit: Limit = 50, cursor: Cursor = None) -> FilePage:
    """Files other people shared with you, most recently shared first."""
    return await run_blocking(service.shared_with_me, user.id, limit, cursor)


@router.get("/{fileId}", responses=problem_responses(401, 404))
async def get_file(file: ReadableFile) -> File:
    """One file you own or that was shared with you."""
    return File.from_record(file.record, file.viewer_id)


@router.post(
    "/upload-url",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 413),
)
async def create_upload(body: FileCreate, user: CurrentUser) -> UploadTicket:
    """Start an upload: POST the returned `fields` plus the file (as `file`) to `url`.

    The form accepts exactly the declared size and Content-Type. Then call `complete`.
    """
    return await run_blocking(service.create_upload, user.id, body)


@router.post(
    "/multipart", status_code=status.HTTP_201_CREATED, responses=problem_responses(403, 404)
)
async def start_multipart(body: MultipartCreate, user: CurrentUser) -> MultipartTicket:
    """Start a resumable upload of 5 MiB or more: PUT each part to its URL, keep the ETags."""
    return await run_blocking(multipart.start, user.id, body)


@router.patch("/{fileId}", responses=problem_responses(401, 404))
async def update_file(body: FileUpdate, record: OwnedFile) -> File:
    """Rename your file, move it to one of your folders (`folderId`; null: the top level), or
    both. The stored object does not change."""
    return await run_blocking(service.update_file, record, body)


@router.delete(
    "/{fileId}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401, 404)
)
async def delete_file(record: OwnedFile) -> Response:
    """Move your file to the trash: it leaves every list, its shares and links answer 404
    until you restore it (`POST /trash/{id}/restore`); its bytes still count. A pending or
    rejected upload is deleted for good at once."""
    await run_blocking(service.trash_file, record)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{fileId}/complete", responses=problem_responses(401, 404, 409))
async def complete_upload(record: OwnedFile) -> File:
    """Check the uploaded object now; safe to call again.

    Also completes a new version of an available file: it becomes current, or, if its bytes
    are not what was declared, `409 version_rejected` (the current version stays).
    """
    return await run_blocking(service.complete_upload, record, record.owner_id)


@router.get("/{fileId}/multipart", responses=problem_responses(401, 404, 409))
async def multipart_status(record: OwnedFile) -> MultipartStatus:
    """Which parts landed, and fresh URLs for the missing ones: how to resume."""
    return await run_blocking(multipart.status, record)


@router.post("/{fileId}/multipart/complete", responses=problem_responses(400, 401, 404, 409))
async def complete_multipart(body: MultipartComplete, record: OwnedFile) -> File:
    """Assemble the parts (`partNumber` and `etag` of each, ascending) and verify the file.

    Safe to ask again after an answer you did not get: an upload already assembled is
    verified and its file answered."""
    return await run_blocking(multipart.complete, record, body, record.owner_id)


@router.delete(
    "/{fileId}/multipart",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404, 409),
)
async def abort_multipart(record: OwnedFile) -> Response:
    """Abandon a multipart upload; its parts and pending file go, its quota is freed."""
    await run_blocking(multipart.abort, record)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{fileId}/download-url", responses=problem_responses(401, 404, 409))
async def download_url(
    file: ReadableFile,
    ip: ClientIp,
    disposition: Disposition = Query(Disposition.attachment),
) -> DownloadUrl:
    """A short-lived URL for the bytes; `inline` asks browsers to show instead of save.

    `inline` is honoured for images (not SVG), PDF, plain text, audio and video; any other
    type is always a download, served as `application/octet-stream`.
    """
    return await run_blocking(
        downloads.download_url, file.record, file.viewer_id, disposition.value, ip
    )


@router.get("/{fileId}/thumbnail-url", responses=problem_responses(401, 404))
async def thumbnail_url(file: ReadableFile) -> ThumbnailUrl:
    """A short-lived URL for the JPEG thumbnail of an image."""
    return downloads.thumbnail_url(file.record)
