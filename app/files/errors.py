"""The files domain's client errors (problem+json codes of API.md)."""

from app.errors import BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge


class FileNotFound(NotFound):
    code, detail = "file_not_found", "No such file."


class ThumbnailNotFound(NotFound):
    code, detail = "thumbnail_not_found", "This file has no thumbnail."


class QuotaExceeded(Forbidden):
    code, detail = "quota_exceeded", "This upload would exceed your storage quota."


class FileTooLarge(PayloadTooLarge):
    code = "file_too_large"


class UploadMissing(Conflict):
    code, detail = "upload_missing", "Nothing has been uploaded for this file yet."


class NotMultipart(Conflict):
    code, detail = "not_multipart", "This file has no open multipart upload."


class InvalidParts(BadRequest):
    code, detail = "invalid_parts", "The parts do not match what was uploaded."


class NoSuchUpload(Exception):
    """The multipart upload is not open (never was, completed, or aborted)."""


class FileNotAvailable(Conflict):
    code, detail = "file_not_available", "The file is not available (still pending or rejected)."


class VersionNotFound(NotFound):
    code, detail = "version_not_found", "This file has no such version."


class CurrentVersion(Conflict):
    code = "current_version"
    detail = "The current version cannot be deleted; restore another version first."


class VersionRejected(Conflict):
    code, detail = "version_rejected", "The new version was rejected; the current one is unchanged."
