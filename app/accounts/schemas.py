"""Request and response bodies of the auth routes (camelCase on the wire)."""

from typing import Literal

from pydantic import BaseModel, EmailStr, Field

from app.schemas import CamelModel

Password = Field(min_length=1, max_length=256)


class SignUpRequest(CamelModel):
    email: EmailStr
    password: str = Password
    name: str | None = Field(default=None, max_length=256)


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
