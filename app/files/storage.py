"""S3 for files: presigned URLs (no byte passes through Lambda), HEAD, versions, multipart.

Keys are made here from the file id only; a user's file name never reaches S3 except inside a
download's `response-content-disposition`.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from app.aws import client, completing_client
from app.errors import AwsCall
from app.files.errors import InvalidParts, NoSuchUpload, VersionNotFound
from app.settings import get_settings


@dataclass(frozen=True)
class Head:
    size: int
    content_type: str
    etag: str | None
    version_id: str | None  # None in a bucket without versioning


@dataclass(frozen=True)
class Part:
    part_number: int
    etag: str
    size: int


def _s3() -> Any:
    return client("s3")


def _bucket() -> str:
    return get_settings().bucket_name


def call(*expected: str) -> AwsCall:
    """Around an S3 call: a failure is the file store's 503, but for `expected` codes."""
    return AwsCall("file store", expected)


NOT_FOUND = ("404", "NoSuchKey", "NotFound", "NoSuchVersion")
NO_SUCH_UPLOAD = "NoSuchUpload"
_BAD_PARTS = ("InvalidPart", "InvalidPartOrder", "EntityTooSmall", "MalformedXML")


def object_key(file_id: str) -> str:
    return f"{get_settings().uploads_prefix}{file_id}"


def thumbnail_key(file_id: str) -> str:
    return f"{get_settings().thumbnails_prefix}{file_id}.jpg"


def presign_post(key: str, content_type: str, size: int, expires_in: int) -> dict[str, Any]:
    """A POST form whose policy pins the key, the Content-Type and the exact length."""
    post: dict[str, Any] = _s3().generate_presigned_post(
        Bucket=_bucket(),
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
        ExpiresIn=expires_in,
    )
    return post


def content_disposition(file_name: str, disposition: str) -> str:
    """RFC 6266: an ASCII fallback `filename` plus the exact name as RFC 5987 `filename*`."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%' else "_" for c in file_name)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def presign_get(
    key: str,
    *,
    version_id: str | None,
    file_name: str,
    content_type: str,
    disposition: str,
    expires_in: int,
) -> str:
    """A GET of one version (the latest if None) with the headers S3 answers it with."""
    params = {
        "Bucket": _bucket(),
        "Key": key,
        "ResponseContentDisposition": content_disposition(file_name, disposition),
        "ResponseContentType": content_type,
    }
    if version_id is not None:
        params["VersionId"] = version_id
    url: str = _s3().generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
    return url


def presign_plain_get(key: str, content_type: str, expires_in: int) -> str:
    url: str = _s3().generate_presigned_url(
        "get_object",
        Params={"Bucket": _bucket(), "Key": key, "ResponseContentType": content_type},
        ExpiresIn=expires_in,
    )
    return url


def head(key: str) -> Head | None:
    with call(*NOT_FOUND) as read:
        answer = _s3().head_object(Bucket=_bucket(), Key=key)
    if read.refused:
        return None
    return Head(
        size=int(answer["ContentLength"]),
        content_type=answer.get("ContentType", ""),
        etag=answer.get("ETag", "").strip('"') or None,
        version_id=answer.get("VersionId"),
    )


def _versions(key: str) -> list[str]:
    """Every version id stored under exactly `key`, delete markers included."""
    found: list[str] = []
    markers: dict[str, str] = {}
    while True:
        with call():
            answer = _s3().list_object_versions(Bucket=_bucket(), Prefix=key, **markers)
        for entry in [*answer.get("Versions", []), *answer.get("DeleteMarkers", [])]:
            if entry["Key"] == key:
                found.append(str(entry["VersionId"]))
        if not answer.get("IsTruncated"):
            return found
        markers = {
            "KeyMarker": answer["NextKeyMarker"],
            "VersionIdMarker": answer["NextVersionIdMarker"],
        }


def _delete_versions(key: str, keep: str | None) -> int:
    removed = 0
    for version in _versions(key):
        if version == keep:
            continue
        with call():
            _s3().delete_object(Bucket=_bucket(), Key=key, VersionId=version)
        removed += 1
    return removed


def delete(*keys: str) -> int:
    """Delete every stored version of each key, so no byte outlives its file (returns how many).

    A plain DELETE in a versioned bucket only hides the object behind a delete marker.
    """
    return sum(_delete_versions(key, keep=None) for key in keys)


def version_ids(key: str) -> list[str]:
    """Every version id stored under `key`, newest first (ListObjectVersions: worker only)."""
    return _versions(key)


def delete_version(key: str, version_id: str) -> None:
    """Delete one stored version of `key` (gone already: nothing to do)."""
    with call(*NOT_FOUND):
        _s3().delete_object(Bucket=_bucket(), Key=key, VersionId=version_id)


def copy_version(key: str, version_id: str, size: int, content_type: str) -> Head:
    """Copy one version of `key` onto `key` (server-side, metadata kept): the new latest version.

    A single CopyObject, so at most `COPY_MAX_BYTES`.
    """
    with call(*NOT_FOUND) as copying:
        answer = _s3().copy_object(
            Bucket=_bucket(),
            Key=key,
            CopySource={"Bucket": _bucket(), "Key": key, "VersionId": version_id},
            MetadataDirective="COPY",
        )
    if copying.refused:  # deleted meanwhile
        raise VersionNotFound() from copying.refused
    etag = str(answer.get("CopyObjectResult", {}).get("ETag", "")).strip('"') or None
    return Head(size=size, content_type=content_type, etag=etag, version_id=answer.get("VersionId"))


COPY_MAX_BYTES = 5 * 1024**3  # S3's limit for one CopyObject


def delete_other_versions(key: str, keep: str) -> int:
    """Delete every version of `key` but `keep` (what an old upload form or part URL added)."""
    return _delete_versions(key, keep)


def create_multipart(key: str, content_type: str) -> str:
    with call():
        answer = _s3().create_multipart_upload(Bucket=_bucket(), Key=key, ContentType=content_type)
    return str(answer["UploadId"])


def presign_part(key: str, upload_id: str, part_number: int, size: int, expires_in: int) -> str:
    """A PUT of one part whose signature covers its Content-Length: S3 refuses any other size."""
    url: str = _s3().generate_presigned_url(
        "upload_part",
        Params={
            "Bucket": _bucket(),
            "Key": key,
            "UploadId": upload_id,
            "PartNumber": part_number,
            "ContentLength": size,
        },
        ExpiresIn=expires_in,
    )
    return url


def list_parts(key: str, upload_id: str) -> list[Part]:
    """Every part that landed (ListParts pages by 1,000), or NoSuchUpload."""
    parts: list[Part] = []
    marker = 0
    while True:
        with call(NO_SUCH_UPLOAD) as listing:
            answer = _s3().list_parts(
                Bucket=_bucket(), Key=key, UploadId=upload_id, PartNumberMarker=marker
            )
        if listing.refused:
            raise NoSuchUpload() from listing.refused
        for part in answer.get("Parts", []):
            etag = str(part["ETag"]).strip('"')
            parts.append(Part(int(part["PartNumber"]), etag, int(part["Size"])))
        if not answer.get("IsTruncated"):
            return parts
        marker = int(answer["NextPartNumberMarker"])


def complete_multipart(key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
    """Assemble the parts: one long attempt (app/aws.py `completing_client`), or NoSuchUpload."""
    with call(NO_SUCH_UPLOAD, *_BAD_PARTS) as completing:
        completing_client().complete_multipart_upload(
            Bucket=_bucket(),
            Key=key,
            UploadId=upload_id,
            MultipartUpload={
                "Parts": [
                    {"PartNumber": n, "ETag": f'"{etag.strip(chr(34))}"'} for n, etag in parts
                ]
            },
        )
    if completing.code == NO_SUCH_UPLOAD:
        raise NoSuchUpload() from completing.refused
    if completing.refused:
        raise InvalidParts(f"S3 refused the parts: {completing.code}.") from completing.refused


def abort_multipart(key: str, upload_id: str) -> None:
    with call(NO_SUCH_UPLOAD):  # already gone: nothing to abort
        _s3().abort_multipart_upload(Bucket=_bucket(), Key=key, UploadId=upload_id)
