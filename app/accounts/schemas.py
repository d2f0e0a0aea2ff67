"""Request and response bodies of the auth routes (camelCase on the wire)."""

import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, EmailStr, Field

from app.schemas import CamelModel

Password = Field(min_length=1, max_length=256)

# Direction overrides and isolates: a name is shown in other people's emails and lists.
_FORBIDDEN = set("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _valid_display_name(value: str) -> str:
    name = value.strip()
    if not 1 <= len(name) <= 100:
        raise ValueError("must be 1..100 characters after trimming")
    if any(unicodedata.category(c) == "Cc" or c in _FORBIDDEN for c in name):
        raise ValueError("must not contain control characters")
    return name


DisplayName = Annotated[str, Field(max_length=1024), AfterValidator(_valid_display_name)]


class SignUpRequest(CamelModel):
    email: EmailStr
    password: str = Password
    name: DisplayName | None = None


class SignUpResponse(CamelModel):
    user_id: str
    email: str
    confirmed: bool


class ConfirmRequest(CamelModel):
    email: EmailStr
    code: str = Field(min_length=1, max_length=64)


class EmailRequest(CamelModel):
    email: EmailStr


class LoginRequest(CamelModel):
    email: EmailStr
    password: str = Password


class LoginResponse(CamelModel):
    access_token: str
    id_token: str
    refresh_token: str | None = Field(
        description="null for the web page (`X-Sharebox-Client: web`): the refresh token is "
        "then an HttpOnly cookie scoped to POST /auth/refresh."
    )
    expires_in: int
    token_type: Literal["Bearer"] = "Bearer"


class RefreshRequest(CamelModel):
    refresh_token: str = Field(min_length=1, max_length=8192)


class RefreshResponse(CamelModel):
    access_token: str
    id_token: str
    expires_in: int
    token_type: Literal["Bearer"] = "Bearer"


class ResetPasswordRequest(CamelModel):
    email: EmailStr
    code: str = Field(min_length=1, max_length=64)
    new_password: str = Password


class OAuth2TokenResponse(BaseModel):
    """The OAuth2 password-grant answer (snake_case, per RFC 6749) the docs page expects."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str | None = None
