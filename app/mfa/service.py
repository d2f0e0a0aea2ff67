"""Two-factor (TOTP) login: set up, enable, disable, and the log-in challenge.

Cognito holds the factor and checks every code at log-in; this service keeps its own sealed
copy of the secret (app/mfa/vault.py) so that it can check a code first, and alone where
Cognito cannot (turning the factor off). Each code is counted before it is checked (at most
`CODES_PER_USER` per user per window, the right ones included, so parallel guesses cannot slip
past), and an accepted code's time step is recorded, so no code is accepted twice.
"""

from dataclasses import dataclass
from datetime import datetime

from app.auth import cognito, cognito_mfa
from app.auth.errors import (
    InvalidCode,
    LoginCodeRefused,
    LoginSessionExpired,
    LoginSessionInvalid,
)
from app.clock import iso
from app.mfa import repository as repo
from app.mfa import totp, vault
from app.mfa.errors import (
    MfaAlreadyEnabled,
    MfaNotEnabled,
    MfaNotSetUp,
    TooManyCodeAttempts,
)
from app.mfa.repository import MfaRecord
from app.shares.throttle import Limit, count

CODES_PER_USER = Limit("CODES", 5)  # per 5 minutes: enable, disable and log-in codes together
_SUBJECT = "MFA"
# Cognito's log-in session lives 3 minutes: the app client's AuthSessionValidity in
# template.yaml (its default, which the emulator also keeps).
LOGIN_SESSION_SECONDS = 180
_WRONG = "The code is not valid: use the current one (and check your device's clock)."
_USED = "This code was already used: wait for the next one."


@dataclass(frozen=True)
class Setup:
    secret: str
    otpauth_uri: str


def set_up(user_id: str, access_token: str, now: datetime) -> Setup:
    """A new secret for the caller's authenticator app; it counts once a code enables it."""
    record = repo.get(user_id)
    if record is not None and record.enabled:
        raise MfaAlreadyEnabled()
    secret = cognito_mfa.associate_software_token(access_token)
    account = cognito.user_attributes(access_token).get("email", "")
    if not repo.save_pending(user_id, vault.seal(secret, user_id), iso(now)):
        raise MfaAlreadyEnabled()  # enabled by a parallel request meanwhile
    return Setup(secret=secret, otpauth_uri=totp.otpauth_uri(secret, account))


def enable(user_id: str, access_token: str, code: str, now: datetime) -> None:
    """Turn two-factor login on with a first code of the secret set up: ours is checked first,
    so a wrong code costs Cognito nothing; then Cognito's, which turns its factor on."""
    record = repo.get(user_id)
    if record is None:
        raise MfaNotSetUp()
    if record.enabled:
        raise MfaAlreadyEnabled()
    if why := _refusal(record, code, now):
        raise InvalidCode(why)
    cognito_mfa.verify_software_token(access_token, code)
    cognito_mfa.set_totp(access_token, enabled=True)
    if not repo.enable(user_id, record.sealed_secret, iso(now)):
        raise MfaNotSetUp("The authenticator was set up again meanwhile: enable the new one.")


def disable(user_id: str, access_token: str, code: str, now: datetime) -> None:
    """Turn two-factor login off, with a current code (Cognito has no check for this one)."""
    record = repo.get(user_id)
    if record is None or not record.enabled:
        raise MfaNotEnabled()
    if why := _refusal(record, code, now):
        raise InvalidCode(why)
    cognito_mfa.set_totp(access_token, enabled=False)
    repo.disable(user_id)  # False only when a parallel request turned it off first


def start_login(email: str, session: str, now: datetime) -> None:
    """Remember whose log-in `session` (Cognito's) is, for the code that will answer it."""
    user_id = cognito_mfa.user_id(email)
    repo.save_login(session, user_id, email, int(now.timestamp()) + LOGIN_SESSION_SECONDS)


def finish_login(email: str, session: str, code: str, now: datetime) -> cognito.Tokens:
    """The tokens of a log-in whose password was right, once its code is.

    A wrong code leaves the session usable (it is checked before the session is spent); a
    session answers one right code only.
    """
    challenge = repo.get_login(session)
    if challenge is None or challenge.used or challenge.email != email.lower():
        raise LoginSessionInvalid()
    if now.timestamp() >= challenge.expires_at:
        raise LoginSessionExpired()
    record = repo.get(challenge.user_id)
    if record is not None and record.enabled:
        if why := _refusal(record, code, now):
            raise LoginCodeRefused(why)
    else:  # a factor turned on outside this API: Cognito alone knows its secret
        _count(challenge.user_id, now)
    if not repo.spend_login(session, iso(now)):
        raise LoginSessionInvalid()  # a parallel request answered it first
    return cognito_mfa.answer_challenge(email, session, code)


def _count(user_id: str, now: datetime) -> None:
    retry_after = count(_SUBJECT, user_id, CODES_PER_USER, now)
    if retry_after is not None:
        raise TooManyCodeAttempts(retry_after=retry_after)


def _refusal(record: MfaRecord, code: str, now: datetime) -> str | None:
    """Count the attempt, then accept `code` once: None when accepted, else why not (a code
    that is not the secret's now, or one whose time step was accepted before)."""
    _count(record.user_id, now)
    step = totp.matching_step(vault.unseal(record.sealed_secret, record.user_id), code, now)
    if step is None:
        return _WRONG
    if record.last_step is not None and step <= record.last_step:
        return _USED
    return None if repo.use_step(record.user_id, step) else _USED
