"""The auth domain's errors: Cognito's answers as problem+json codes of API.md, and the
verifier's own `InvalidToken`."""

from app.errors import AppError, BadRequest, Conflict, Forbidden, NotFound, Unauthorized


class InvalidToken(Exception):
    """The token is not a valid access token of our pool and client."""


class InvalidCredentials(Unauthorized):
    code, detail = "invalid_credentials", "The email or password is not correct."

    def __init__(self) -> None:
        AppError.__init__(self)  # a wrong password is not a missing bearer token


class PasswordTooWeak(BadRequest):
    """A new password Cognito's policy (`cognito.PASSWORD_POLICY`) refuses."""

    code, detail = (
        "invalid_password",
        "Passwords need at least 8 characters, with an upper-case letter, "
        "a lower-case letter and a digit.",
    )


class InvalidCode(BadRequest):
    code, detail = "invalid_code", "The code is not valid or has expired."


class EmailTaken(Conflict):
    code, detail = "email_taken", "An account with this email already exists."


class UserNotFound(NotFound):
    code, detail = "user_not_found", "There is no such user."


class UserNotConfirmed(Forbidden):
    code, detail = "user_not_confirmed", "Confirm your email address before logging in."


class LoginRefused(AppError):
    """A 401 of the log-in routes: a wrong answer, not a missing bearer token (no
    `WWW-Authenticate`)."""

    status = 401


class LoginCodeRefused(LoginRefused):
    code, detail = "invalid_code", "The code is not valid."


class LoginSessionInvalid(LoginRefused):
    code, detail = (
        "invalid_session",
        "This log-in session is unknown, was already used or belongs to another email: "
        "log in again.",
    )


class LoginSessionExpired(LoginRefused):
    code, detail = "session_expired", "This log-in session has expired: log in again."


class MfaRequired(Forbidden):
    code, detail = (
        "mfa_required",
        "This account uses two-factor login, which this password form cannot do: log in with "
        "POST /auth/login and POST /auth/login/mfa, then use the access token as a Bearer token.",
    )
