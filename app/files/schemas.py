"""Request and response bodies of the files routes (camelCase on the wire)."""

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, Field, model_validator

from app.clock import iso, utcnow
from app.files.repository import FileRecord
from app.schemas import CamelModel, CompactModel, has_control_chars

MIB = 1024**2
TIB = 1024**4
MAX_OBJECT_BYTES = 5 * TIB  # S3's largest object
MIN_PART_BYTES = 5 * MIB  # S3's smallest part (all but the last)
MAX_PARTS = 10_000

_TOKEN = r"[A-Za-z0-9!#$&^_.+-]+"
_MEDIA_TYPE = re.compile(
    rf"{_TOKEN}/{_TOKEN}(\s*;\s*{_TOKEN}=({_TOKEN}|\"[^\"\\\x00-\x1f\x7f]*\"))*"
)


def _valid_name(value: str) -> str:
    name = value.strip()
    if not 1 <= len(name) <= 255:
        raise ValueError("must be 1..255 characters after trimming")
    if has_control_chars(name):
        raise ValueError("must not contain control characters")
    if "/" in name or "\\" in name:
        raise ValueError("must not contain / or \\")
    if name in {".", ".."}:
        raise ValueError("must not be . or ..")
    return name


def _valid_media_type(value: str) -> str:
    media_type = value.strip()
    if len(media_type) > 255 or not _MEDIA_TYPE.fullmatch(media_type):
        raise ValueError("must be a media type such as `image/png`, at most 255 characters")
    return media_type


FileName = Annotated[str, Field(max_length=1024), AfterValidator(_valid_name)]
MediaType = Annotated[str, Field(max_length=1024), AfterValidator(_valid_media_type)]
Size = Annotated[int, Field(strict=True, ge=0, le=MAX_OBJECT_BYTES, description="Bytes.")]


SHA256_DESCRIPTION = (
    "SHA-256 of the bytes as the uploader declared it (hex); not checked by the server: "
    "clients verify downloads against it."
)
# Uppercase hex is taken and kept lowercased, so clients compare one spelling.
Sha256 = Annotated[
    str | None,
    Field(default=None, pattern=r"^[0-9A-Fa-f]{64}$", description=SHA256_DESCRIPTION),
    AfterValidator(lambda digest: digest and digest.lower()),
]


FolderRef = Annotated[
    str | None,
    Field(max_length=64, description="A folder of yours; null or absent: the top level."),
]


MAX_EXPIRY_SECONDS = 10 * 365 * 24 * 3600


class FileCreate(CamelModel):
    file_name: FileName
    content_type: MediaType
    size: Size
    folder_id: FolderRef = None
    sha256: Sha256 = None
    expires_in: int | None = Field(
        default=None,
        strict=True,
        ge=60,
        le=MAX_EXPIRY_SECONDS,
        description="Seconds from now after which the file is deleted for good (none: never).",
    )


class MultipartCreate(FileCreate):
    size: Annotated[int, Field(strict=True, ge=MIN_PART_BYTES, le=MAX_OBJECT_BYTES)]


class VersionCreate(CamelModel):
    """A new version of a file: its bytes are declared as a new file's are."""

    content_type: MediaType
    size: Size
    sha256: Sha256 = None


class VersionMultipartCreate(VersionCreate):
    size: Annotated[int, Field(strict=True, ge=MIN_PART_BYTES, le=MAX_OBJECT_BYTES)]


class FileUpdate(CamelModel):
    """Rename (`fileName`), move (`folderId`; null: the top level), set when it is deleted for
    good (`expiresAt`; null: never), or several at once."""

    file_name: FileName | None = None
    folder_id: FolderRef = None
    expires_at: AwareDatetime | None = Field(
        default=None, description="When the file is deleted for good (ISO 8601); null: never."
    )

    @model_validator(mode="after")
    def _something(self) -> "FileUpdate":
        if not self.model_fields_set & {"file_name", "folder_id", "expires_at"}:
            raise ValueError("give `fileName`, `folderId`, `expiresAt` or several")
        if "file_name" in self.model_fields_set and self.file_name is None:
            raise ValueError("`fileName` cannot be null")
        if self.expires_at is not None:
            if self.expires_at <= utcnow():
                raise ValueError("`expiresAt` must be in the future")
            if self.expires_at.timestamp() > utcnow().timestamp() + MAX_EXPIRY_SECONDS:
                raise ValueError("`expiresAt` must be within 10 years")
        return self

    @property
    def moves(self) -> bool:
        return "folder_id" in self.model_fields_set

    @property
    def sets_expiry(self) -> bool:
        return "expires_at" in self.model_fields_set

    @property
    def expiry(self) -> int | None:
        """The new expiry in epoch seconds (rounded up: never before the instant asked)."""
        if self.expires_at is None:
            return None
        return int(-(-self.expires_at.timestamp() // 1))


class Sender(CompactModel):
    """Who sent a file through one of your upload requests (as they gave it), and which."""

    name: str | None = None
    email: str | None = None
    request_token: str


class File(CamelModel):
    file_id: str
    file_name: str
    content_type: str
    size: int
    status: Literal["pending", "available", "rejected"]
    owner_id: str
    created_at: str
    uploaded_at: str | None
    has_thumbnail: bool
    shared_with_me: bool
    rejection_reason: str | None
    folder_id: str | None = Field(description="Its folder; null: the owner's top level.")
    expires_at: str | None = Field(
        default=None, description="When it is deleted for good; null: never."
    )
    version_count: int = Field(description="Versions kept, the current one included (at most 20).")
    uploaded_by: Sender | None = Field(
        default=None,
        description="Set for its owner when it arrived through an upload request; else null.",
    )
    sha256: str | None = Field(
        description=f"{SHA256_DESCRIPTION} The current version's; null: it declared none."
    )

    @classmethod
    def from_record(cls, record: FileRecord, viewer_id: str) -> "File":
        """The file as `viewer_id` sees it (`sharedWithMe` unless they own it)."""
        return cls(
            file_id=record.file_id,
            file_name=record.file_name,
            content_type=record.content_type,
            size=record.size,
            status=record.status,  # type: ignore[arg-type]
            owner_id=record.owner_id,
            created_at=record.created_at,
            uploaded_at=record.uploaded_at,
            has_thumbnail=record.has_thumbnail,
            shared_with_me=viewer_id != record.owner_id,
            rejection_reason=record.rejection_reason,
            folder_id=record.folder_id,
            expires_at=_expiry_iso(record.expiry),
            version_count=record.version_count,
            uploaded_by=_sender(record, viewer_id),
            sha256=record.sha256,
        )


def _sender(record: FileRecord, viewer_id: str) -> Sender | None:
    """Who sent it, for its owner only (an uploader's address is not for those it is shared
    with)."""
    by = record.uploaded_by
    if by is None or viewer_id != record.owner_id:
        return None
    return Sender(name=by.name, email=by.email, request_token=by.request_token)


def _expiry_iso(expiry: int | None) -> str | None:
    return None if expiry is None else iso(datetime.fromtimestamp(expiry, UTC))


class FilePage(CamelModel):
    items: list[File]
    next_cursor: str | None


class UploadForm(CamelModel):
    method: Literal["POST"] = "POST"
    url: str
    fields: dict[str, Any]
    expires_in: int


class UploadTicket(CamelModel):
    file_id: str
    file: File
    upload: UploadForm


class PartUrl(CamelModel):
    part_number: int
    url: str


class MultipartTicket(CamelModel):
    file_id: str
    upload_id: str
    part_size: int
    parts: list[PartUrl]
    expires_in: int


class UploadedPart(CamelModel):
    part_number: int
    etag: str
    size: int


class MultipartStatus(CamelModel):
    uploaded_parts: list[UploadedPart]
    parts: list[PartUrl]
    part_size: int
    expires_in: int


class CompletedPart(CamelModel):
    part_number: Annotated[int, Field(ge=1, le=MAX_PARTS)]
    # S3's ETags are printable ASCII (quoted hex); a control character would make the
    # CompleteMultipartUpload XML malformed, so it is refused here as a 422.
    etag: Annotated[str, Field(min_length=1, max_length=200, pattern=r'^"?[!#-~]+"?$')]


class MultipartComplete(CamelModel):
    parts: Annotated[list[CompletedPart], Field(min_length=1, max_length=MAX_PARTS)]


class Disposition(StrEnum):
    attachment = "attachment"
    inline = "inline"


class DownloadUrl(CamelModel):
    download_url: str
    expires_in: int


class ThumbnailUrl(CamelModel):
    thumbnail_url: str
    expires_in: int


class Version(CamelModel):
    version_id: str
    size: int
    content_type: str
    uploaded_at: str
    current: bool
    sha256: str | None = Field(description=f"{SHA256_DESCRIPTION} Null: none was declared.")


class VersionList(CamelModel):
    items: list[Version] = Field(description="Newest first; the current version is the first.")
