"""Request and response bodies of the upload request routes (camelCase on the wire)."""

from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field, field_validator

from app.files.schemas import FileName, MediaType, Sha256, Size, UploadForm
from app.schemas import CamelModel, has_control_chars
from app.settings import get_settings
from app.shares.public_schemas import LinkPassword
from app.shares.schemas import Password

MIN_REQUEST_SECONDS, MAX_REQUEST_SECONDS = 60, 30 * 24 * 3600
MAX_FILES = 1000
MAX_TITLE_CHARS, MAX_MESSAGE_CHARS, MAX_SENDER_NAME_CHARS = 200, 2000, 100


def _line(max_chars: int) -> AfterValidator:
    """One line of text: trimmed, 1..max_chars characters, no control characters."""

    def check(value: str) -> str:
        text = value.strip()
        if not 1 <= len(text) <= max_chars:
            raise ValueError(f"must be 1..{max_chars} characters after trimming")
        if has_control_chars(text):
            raise ValueError("must not contain control characters")
        return text

    return AfterValidator(check)


def _message(value: str) -> str | None:
    text = value.strip()
    if has_control_chars(text, allowed="\n\r\t"):
        raise ValueError("must not contain control characters other than line breaks and tabs")
    return text or None


Title = Annotated[str, Field(max_length=4 * MAX_TITLE_CHARS), _line(MAX_TITLE_CHARS)]
Message = Annotated[str, Field(max_length=MAX_MESSAGE_CHARS), AfterValidator(_message)]
SenderName = Annotated[
    str, Field(max_length=4 * MAX_SENDER_NAME_CHARS), _line(MAX_SENDER_NAME_CHARS)
]


class RequestCreate(CamelModel):
    """Ask for files: what the sender sees (`title`, `message`), until when, and the limits."""

    title: Title
    message: Message | None = None
    expires_in: Annotated[
        int,
        Field(
            strict=True,
            ge=MIN_REQUEST_SECONDS,
            le=MAX_REQUEST_SECONDS,
            description="Seconds, 60 to 30 days.",
        ),
    ]
    password: Password | None = None
    max_files: Annotated[
        int | None,
        Field(strict=True, ge=1, le=MAX_FILES, description=f"1..{MAX_FILES}; default {MAX_FILES}."),
    ] = None
    max_file_bytes: Annotated[
        int | None,
        Field(
            strict=True,
            ge=1,
            description="Each file's largest size; default and at most the single-upload limit.",
        ),
    ] = None

    @field_validator("max_file_bytes")
    @classmethod
    def _within_single_upload(cls, value: int | None) -> int | None:
        limit = get_settings().single_upload_max_bytes
        if value is not None and value > limit:
            raise ValueError(f"must be at most the single-upload limit, {limit} bytes")
        return value


class RequestTerms(CamelModel):
    """What a request asks for, as its owner and its senders both see it."""

    title: str
    message: str | None
    expires_at: str
    password_protected: bool
    max_files: int
    max_file_bytes: int


class UploadRequest(RequestTerms):
    """An upload request, as its owner sees it."""

    token: str
    url: str = Field(description="The web page a sender opens: `<PUBLIC_BASE_URL>/r/<token>`.")
    folder_id: str
    files: int = Field(description="Files received so far (verified).")
    created_at: str


class UploadRequestList(CamelModel):
    items: list[UploadRequest]
    next_cursor: str | None


class RequestInfo(RequestTerms):
    """What a sender sees before sending."""

    owner_name: str = Field(description="The name of the person asking (never their email).")


class RequestUpload(CamelModel):
    """One file to send, declared as an upload is (`fileName`, `contentType`, `size`,
    `sha256`)."""

    file_name: FileName
    content_type: MediaType
    size: Size
    sha256: Sha256 = None
    password: LinkPassword = None
    uploader_name: SenderName | None = None
    uploader_email: Annotated[EmailStr | None, Field(max_length=254)] = None


class RequestUploadTicket(CamelModel):
    """Only the new file's id and the form for its bytes: a sender can read nothing back."""

    file_id: str
    upload: UploadForm
