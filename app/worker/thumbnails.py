"""Thumbnails with Pillow: the only module that imports it, reached only from the worker.

The source bytes come from users, so every decode is bounded: a byte cap before Pillow sees
them and a pixel cap (`Image.MAX_IMAGE_PIXELS`, as an error, not a warning) while it does.
"""

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 256
# The formats Pillow reports for the media types we make thumbnails of.
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
MAX_SOURCE_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 50_000_000
SIGNATURE_BYTES = 12
_SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class NotThatImage(ValueError):
    """The bytes do not decode as the image their media type claims."""


class TooLargeToThumbnail(ValueError):
    """A genuine image, but too large (in bytes or pixels) to decode safely."""


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def can_thumbnail(content_type: str) -> bool:
    return _media_type(content_type) in FORMATS


def has_signature(header: bytes, content_type: str) -> bool:
    """Whether a file's first bytes carry the magic number of its declared image type.

    The check for files too large to decode: it needs no Pillow and only the first 12 bytes.
    """
    media_type = _media_type(content_type)
    if media_type == "image/webp":
        return header[:4] == b"RIFF" and header[8:12] == b"WEBP"
    return any(header.startswith(magic) for magic in _SIGNATURES.get(media_type, ()))


def make_thumbnail(data: bytes, content_type: str, max_side: int = MAX_SIDE) -> Thumbnail:
    """A JPEG at most `max_side` px on its long side, upright, without the source's metadata."""
    if len(data) > MAX_SOURCE_BYTES:
        raise TooLargeToThumbnail(f"{len(data)} bytes is over the {MAX_SOURCE_BYTES} byte cap.")
    with _open(data, content_type) as image:
        try:
            image.seek(0)  # an animated GIF or WebP: its first frame
            if image.format == "JPEG":  # decode at 1/2..1/8 scale: far less memory and time
                image.draft("RGB", (max_side, max_side))
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            rgb = _flatten(upright)
        except Image.DecompressionBombError as exc:  # a frame larger than the header said
            raise TooLargeToThumbnail(str(exc)) from exc
        except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt pixel data
            raise NotThatImage("The image data is corrupt.") from exc
    out = io.BytesIO()
    # A fresh RGB image carries no EXIF, ICC or comments: nothing of the source is copied.
    rgb.save(out, format="JPEG", quality=85, optimize=True)
    return Thumbnail(out.getvalue(), rgb.width, rgb.height)


def _open(data: bytes, content_type: str) -> Image.Image:
    expected = FORMATS.get(_media_type(content_type))
    if expected is None:
        raise NotThatImage(f"{content_type} is not an image type we decode.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[expected])
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise TooLargeToThumbnail(str(exc)) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise NotThatImage(f"The bytes are not a {expected} image.") from exc
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no alpha, and a palette's transparency would turn black."""
    if image.mode in ("RGBA", "LA", "P", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()
