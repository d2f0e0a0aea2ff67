"""Request and response bodies of the two-factor routes (camelCase on the wire)."""

from typing import Literal

from pydantic import EmailStr, Field

from app.schemas import CamelModel

Code = Field(
    min_length=1,
    max_length=16,
    description="The 6-digit code the authenticator app shows now.",
    examples=["123456"],
)


class MfaSetup(CamelModel):
    secret: str = Field(description="The TOTP secret (base32), for typing into an app by hand.")
    otpauth_uri: str = Field(
        description="`otpauth://totp/Sharebox:<email>?secret=...&issuer=Sharebox&algorithm=SHA1"
        "&digits=6&period=30`: what a QR code shows an authenticator app."
    )


class MfaCode(CamelModel):
    code: str = Code


class TotpChallenge(CamelModel):
    """The password was right; the account also needs a code (POST /auth/login/mfa)."""

    challenge: Literal["totp"] = "totp"
    session: str = Field(
        description="Answers the challenge once, within 3 minutes, with POST /auth/login/mfa."
    )


class MfaLogin(CamelModel):
    email: EmailStr
    session: str = Field(min_length=1, max_length=4096)
    code: str = Code
