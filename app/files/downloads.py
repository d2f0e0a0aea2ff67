"""Download and thumbnail URLs: only the verified bytes, and never as a type that could run.

A presigned GET is answered from the bucket's origin, so a stored HTML, SVG or XML file shown
there inline would be a page (a phishing page, a script) on a domain of ours. API.md v2 >
Trust: `inline` is honoured only for types a browser shows passively; anything else is an
attachment served as `application/octet-stream`. Every presigned GET of a file goes through
`presign` (the owner's and a share's downloads, a public link's), so the rule cannot be
missed. S3 cannot add `X-Content-Type-Options: nosniff` to a presigned GET (its `response-*`
overrides are Content-Type, -Disposition, -Encoding, -Language, Cache-Control and Expires),
hence the octet-stream.
"""

from app.activity import service as activity
from app.clock import utcnow
from app.files import storage
from app.files.errors import FileNotAvailable, ThumbnailNotFound
from app.files.repository import AVAILABLE, FileRecord
from app.files.schemas import DownloadUrl, ThumbnailUrl
from app.settings import get_settings

OCTET_STREAM = "application/octet-stream"
THUMBNAIL_TYPE = "image/jpeg"  # what the worker writes (app/worker/thumbnails.py)
# Raster images a browser only displays (SVG is a document that runs scripts: not here).
PASSIVE_IMAGES = frozenset(
    {
        "image/apng",
        "image/avif",
        "image/bmp",
        "image/gif",
        "image/jpeg",
        "image/png",
        "image/tiff",
        "image/vnd.microsoft.icon",
        "image/webp",
        "image/x-icon",
    }
)
PASSIVE_TYPES = PASSIVE_IMAGES | {"application/pdf", "text/plain"}
PASSIVE_FAMILIES = ("audio/", "video/")


def is_passive(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type in PASSIVE_TYPES or media_type.startswith(PASSIVE_FAMILIES)


def served_as(content_type: str, disposition: str) -> tuple[str, str]:
    """The (disposition, Content-Type) S3 answers with: a passive type as asked, else a download.

    A plain tuple, not a dataclass: this module is imported by a cold `/files` request.
    """
    if is_passive(content_type):
        return disposition, content_type
    return "attachment", OCTET_STREAM


def presign(record: FileRecord, disposition: str, expires_in: int) -> str:
    """A GET of the file's verified version, served by the rule above."""
    served_disposition, served_type = served_as(record.content_type, disposition)
    return storage.presign_get(
        storage.object_key(record.file_id),
        version_id=record.version_id,
        file_name=record.file_name,
        content_type=served_type,
        disposition=served_disposition,
        expires_in=expires_in,
    )


def until_expiry(record: FileRecord, ttl: int, now: float) -> int:
    """`ttl`, cut so a presigned URL never outlives the file's expiry (at least 1 s: the
    caller checked the file is not past it)."""
    if record.expiry is None:
        return ttl
    return max(1, min(ttl, int(record.expiry - now)))


def download_url(
    record: FileRecord, viewer_id: str, disposition: str, ip: str | None = None
) -> DownloadUrl:
    if record.status != AVAILABLE:
        raise FileNotAvailable()
    ttl = until_expiry(record, get_settings().download_url_ttl_seconds, utcnow().timestamp())
    url = presign(record, disposition, ttl)
    activity.record_download(record.file_id, viewer_id, ip=ip, now=utcnow())
    return DownloadUrl(download_url=url, expires_in=ttl)


def thumbnail_url(record: FileRecord) -> ThumbnailUrl:
    if not record.has_thumbnail:
        raise ThumbnailNotFound()
    ttl = until_expiry(record, get_settings().download_url_ttl_seconds, utcnow().timestamp())
    url = storage.presign_plain_get(storage.thumbnail_key(record.file_id), THUMBNAIL_TYPE, ttl)
    return ThumbnailUrl(thumbnail_url=url, expires_in=ttl)
