"""The sharing domain's client errors (problem+json codes of API.md)."""

from app.errors import AppError, BadRequest, NotFound, TooManyRequests


class UserNotFound(NotFound):
    code, detail = "user_not_found", "No Sharebox user has that email or id."


class CannotShareWithSelf(BadRequest):
    code, detail = "cannot_share_with_self", "You already own this file."


class LinkNotFound(NotFound):
    code, detail = "link_not_found", "This link does not exist or no longer works."


class WrongLinkPassword(AppError):
    """The password sent for a password-protected link is not its password."""

    status, code, detail = 401, "invalid_password", "The password for this link is wrong."


class TooManyPasswordAttempts(TooManyRequests):
    code, detail = "too_many_attempts", "Too many password attempts; retry later."


class FileRequired(BadRequest):
    code, detail = "file_required", "A folder link downloads one file: give its `fileId`."


class TooManyInvitations(TooManyRequests):
    """An owner's invitations of addresses with no account, per day (each sends an email)."""

    code, detail = "too_many_invitations", "Too many invitations today; retry later."
