"""Small images built in memory for the worker tests."""

import io

from PIL import Image


def image_bytes(
    fmt: str, size: tuple[int, int] = (64, 48), color: str = "red", **save: object
) -> bytes:
    out = io.BytesIO()
    mode = "RGBA" if fmt in ("PNG", "WEBP") else "RGB"
    Image.new(mode, size, color).save(out, format=fmt, **save)
    return out.getvalue()


def sideways_jpeg() -> bytes:
    """A 400x200 JPEG, red left half and blue right, with EXIF orientation 6 (turn it right)."""
    image = Image.new("RGB", (400, 200), "blue")
    image.paste("red", (0, 0, 200, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "Sharebox Test Camera"  # Make: metadata that must not survive
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue()


def animated_gif() -> bytes:
    """Two frames: red, then green."""
    frames = [Image.new("RGB", (300, 100), c) for c in ("red", "green")]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()
