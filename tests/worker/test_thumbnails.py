import io

import pytest
from PIL import Image

from app.worker import thumbnails
from app.worker.thumbnails import NotThatImage, TooLargeToThumbnail, make_thumbnail
from tests.worker.images import animated_gif, image_bytes, sideways_jpeg


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def is_near(pixel: tuple[int, ...], color: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, color, strict=False))


def test_rotated_jpeg_thumbnail_is_upright_and_fits_256_px() -> None:
    thumb = make_thumbnail(sideways_jpeg(), "image/jpeg")

    image = decode(thumb.data)
    assert image.format == "JPEG"
    assert (thumb.width, thumb.height) == image.size == (128, 256)
    # Turned right, the stored left (red) half is now on top.
    assert is_near(image.getpixel((64, 20)), (255, 0, 0))
    assert is_near(image.getpixel((64, 236)), (0, 0, 255))


def test_thumbnail_carries_no_exif_from_the_source() -> None:
    thumb = make_thumbnail(sideways_jpeg(), "image/jpeg")

    image = decode(thumb.data)
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"Sharebox Test Camera" not in thumb.data


def test_small_image_is_not_enlarged() -> None:
    thumb = make_thumbnail(image_bytes("JPEG", (64, 48)), "image/jpeg")

    assert decode(thumb.data).size == (64, 48)


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("PNG", "image/png"), ("WEBP", "image/webp"), ("GIF", "image/gif"), ("JPEG", "image/jpeg")],
)
def test_every_supported_format_becomes_a_jpeg_thumbnail(fmt: str, content_type: str) -> None:
    thumb = make_thumbnail(image_bytes(fmt, (1000, 500)), content_type)

    image = decode(thumb.data)
    assert (image.format, image.size) == ("JPEG", (256, 128))
    assert thumb.content_type == "image/jpeg"


def test_transparent_png_is_flattened_on_white() -> None:
    data = image_bytes("PNG", (10, 10), color=(0, 0, 0, 0))

    image = decode(make_thumbnail(data, "image/png").data)
    assert is_near(image.getpixel((5, 5)), (255, 255, 255))


def test_animated_gif_thumbnail_is_its_first_frame() -> None:
    image = decode(make_thumbnail(animated_gif(), "image/gif").data)

    assert image.size == (256, 85)
    assert is_near(image.getpixel((128, 40)), (255, 0, 0))


def test_media_type_parameters_and_case_are_ignored() -> None:
    thumb = make_thumbnail(image_bytes("PNG"), "Image/PNG; charset=binary")

    assert decode(thumb.data).size == (64, 48)


def test_bytes_that_are_not_an_image_are_rejected() -> None:
    with pytest.raises(NotThatImage):
        make_thumbnail(b"this is not a png at all", "image/png")


def test_an_image_of_another_format_than_declared_is_rejected() -> None:
    with pytest.raises(NotThatImage):
        make_thumbnail(image_bytes("PNG"), "image/jpeg")


def test_a_truncated_jpeg_is_rejected() -> None:
    data = image_bytes("JPEG", (200, 200))

    with pytest.raises(NotThatImage):
        make_thumbnail(data[: len(data) // 2], "image/jpeg")


def test_non_image_types_are_not_thumbnailed() -> None:
    assert not thumbnails.can_thumbnail("application/pdf")
    assert thumbnails.can_thumbnail("image/webp")
    with pytest.raises(NotThatImage):
        make_thumbnail(b"%PDF-1.7", "application/pdf")


def test_source_over_the_byte_cap_is_never_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(thumbnails, "MAX_SOURCE_BYTES", 100)

    with pytest.raises(TooLargeToThumbnail):
        make_thumbnail(image_bytes("PNG", (200, 200), color="white") + b"\0" * 200, "image/png")


@pytest.mark.parametrize("side", [40, 200])  # over the pixel cap (warning) and over twice it
def test_decompression_bomb_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch, side: int
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    with pytest.raises(TooLargeToThumbnail):
        make_thumbnail(image_bytes("PNG", (side, side)), "image/png")


@pytest.mark.parametrize(
    ("header", "content_type", "expected"),
    [
        (image_bytes("JPEG")[:12], "image/jpeg", True),
        (image_bytes("PNG")[:12], "image/png", True),
        (image_bytes("GIF")[:12], "image/gif", True),
        (image_bytes("WEBP")[:12], "image/webp", True),
        (image_bytes("PNG")[:12], "image/jpeg", False),
        (b"garbage bytes", "image/png", False),
    ],
)
def test_signature_check_for_files_too_large_to_decode(
    header: bytes, content_type: str, expected: bool
) -> None:
    assert thumbnails.has_signature(header, content_type) is expected


def test_large_jpeg_is_thumbnailed_from_a_reduced_decode() -> None:
    thumb = make_thumbnail(image_bytes("JPEG", (4000, 3000)), "image/jpeg")

    assert (thumb.width, thumb.height) == (256, 192)
