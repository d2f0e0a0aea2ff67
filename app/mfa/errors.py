"""The two-factor routes' own refusals (the log-in ones live in app/auth/errors.py)."""

from app.errors import Conflict, TooManyRequests


class MfaAlreadyEnabled(Conflict):
    code, detail = (
        "mfa_already_enabled",
        "Two-factor login is already on: turn it off (DELETE /auth/mfa) before setting up a "
        "new authenticator.",
    )


class MfaNotSetUp(Conflict):
    code, detail = "mfa_not_set_up", "Start with POST /auth/mfa/setup: there is no code to check."


class MfaNotEnabled(Conflict):
    code, detail = "mfa_not_enabled", "Two-factor login is not on."


class TooManyCodeAttempts(TooManyRequests):
    """More codes than `service.CODES_PER_USER` allows in its window."""

    code, detail = "too_many_attempts", "Too many codes tried: wait before trying again."
