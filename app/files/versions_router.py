"""The file versions routes (API.md v2, "Trash, versions and expiry"): the owner's only."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from app.blocking import run_blocking
from app.errors import problem_responses
from app.files import versions
from app.files.dependencies import OwnedFile
from app.files.schemas import (
    Disposition,
    DownloadUrl,
    File,
    MultipartTicket,
    UploadTicket,
    VersionCreate,
    VersionList,
    VersionMultipartCreate,
)
from app.request_facts import ClientIp
from app.routing import AppRoute

router = APIRouter(prefix="/files", tags=["versions"], route_class=AppRoute)

VersionId = Annotated[
    str, Path(alias="versionId", min_length=1, max_length=1024, description="A version's id.")
]


@router.post(
    "/{fileId}/versions",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 413),
)
async def create_version(body: VersionCreate, record: OwnedFile) -> UploadTicket:
    """Upload a new version of your file: POST the returned `fields` plus the bytes (as `file`)
    to `url`, then call `POST /files/{fileId}/complete`.

    Once verified it becomes the current version; the one it replaces is kept (at most 20
    versions are kept, the oldest goes). Every kept version counts against your quota.
    """
    return await run_blocking(versions.create_upload, record, body)


@router.post(
    "/{fileId}/versions/multipart",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409),
)
async def start_version_multipart(
    body: VersionMultipartCreate, record: OwnedFile
) -> MultipartTicket:
    """Upload a new version of 5 MiB or more in parts; then use the file's `multipart` routes
    (status, complete, abort) as for a new file."""
    return await run_blocking(versions.start_multipart, record, body)


@router.get("/{fileId}/versions", responses=problem_responses(401, 404))
async def list_versions(record: OwnedFile) -> VersionList:
    """Your file's kept versions, newest first; the first is the current one."""
    return await run_blocking(versions.list_versions, record)


@router.get("/{fileId}/versions/{versionId}/download-url", responses=problem_responses(401, 404))
async def version_download_url(
    record: OwnedFile,
    version_id: VersionId,
    ip: ClientIp,
    disposition: Disposition = Query(Disposition.attachment),
) -> DownloadUrl:
    """A short-lived URL for one version's bytes, with the rules of the file's download-url."""
    return await run_blocking(versions.download_url, record, version_id, disposition.value, ip)


@router.post(
    "/{fileId}/versions/{versionId}/restore",
    responses=problem_responses(401, 403, 404, 409, 413),
)
async def restore_version(record: OwnedFile, version_id: VersionId) -> File:
    """Make a copy of an older version the current one; the version it replaces is kept.

    The copy counts against your quota. Versions over 5 GiB cannot be restored.
    """
    return await run_blocking(versions.restore, record, version_id)


@router.delete(
    "/{fileId}/versions/{versionId}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404, 409),
)
async def delete_version(record: OwnedFile, version_id: VersionId) -> Response:
    """Delete an older version; its bytes stop counting. The current one cannot be deleted."""
    await run_blocking(versions.delete_version, record, version_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
