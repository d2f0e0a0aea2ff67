"""The auth domain's errors: Cognito's answers as problem+json codes of API.md, and the
verifier's own `InvalidToken`."""

from app.errors import AppError, BadRequest, Conflict, Forbidden, Unauthorized


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


class UserNotConfirmed(Forbidden):
    code, detail = "user_not_confirmed", "Confirm your email address before logging in."
