"""The upload requests' client errors (problem+json codes of API.md)."""

from app.errors import AppError, Conflict, NotFound, TooManyRequests


class RequestNotFound(NotFound):
    code = "request_not_found"
    detail = "This upload request does not exist or no longer takes files."


class WrongRequestPassword(AppError):
    """The password sent for a password-protected request is not its password."""

    status, code, detail = 401, "invalid_password", "The password for this request is wrong."


class RequestFull(Conflict):
    code = "limit_reached"
    detail = "This upload request has received as many files as it takes."


class TooManyUploads(TooManyRequests):
    code, detail = "too_many_uploads", "Too many uploads in a short time; retry later."
