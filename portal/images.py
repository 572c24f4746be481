"""Checks for uploaded images and the resized renditions pages serve.

Every image a reader sees is a rendition (300, 600 or 1200 px wide, JPEG);
the original upload is kept for editors but never sent to phones.
"""

import io
import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}


def validate_image(upload):
    """Reject anything that is not a real, reasonably sized image.

    Raises ValidationError with a Vietnamese message; the file name and the
    browser's content type are not trusted, only the bytes. Returns the format
    Pillow found ("JPEG", "PNG", ...).
    """
    max_bytes = settings.IMAGE_MAX_BYTES
    max_side = settings.IMAGE_MAX_SIDE
    if upload.size > max_bytes:
        raise ValidationError(
            "Ảnh quá lớn: tối đa %(mb)s MB.", code="too_large", params={"mb": max_bytes // (1024 * 1024)}
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            "Tệp tải lên không phải là ảnh hợp lệ (chấp nhận JPEG, PNG, GIF, WebP).", code="not_image"
        ) from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError("Định dạng ảnh không được hỗ trợ (chấp nhận JPEG, PNG, GIF, WebP).", code="bad_format")
    if width > max_side or height > max_side:
        raise ValidationError(
            "Ảnh quá lớn: mỗi chiều tối đa %(px)s điểm ảnh.", code="too_many_pixels", params={"px": max_side}
        )
    return image_format


def rendition_name(name, width):
    stem, _ = posixpath.splitext(name)
    return f"renditions/{stem}-{width}w.jpg"


def rendition_sizes(original_width, original_height):
    """[(width, height)] of the renditions for an original of that size, never upscaled."""
    sizes = []
    for width in settings.IMAGE_RENDITION_WIDTHS:
        w = min(width, original_width)
        h = max(1, round(original_height * w / original_width))
        if (w, h) not in sizes:
            sizes.append((w, h))
    return sizes


def make_renditions(name, storage=default_storage):
    """Write the renditions of the stored image `name`; returns its (width, height)."""
    with storage.open(name, "rb") as fh, Image.open(fh) as image:
        image.load()
        original = image.convert("RGBA") if image.mode in ("P", "LA", "RGBA") else image.convert("RGB")
    if original.mode == "RGBA":
        flat = Image.new("RGB", original.size, "white")
        flat.paste(original, mask=original.split()[-1])
        original = flat
    size = original.size
    # Largest first, each from the one before: a 8000 px upload is reduced once, not three times.
    source = original
    for width, height in reversed(rendition_sizes(*size)):
        target = rendition_name(name, width)
        if storage.exists(target):
            storage.delete(target)
        source = source.resize((width, height), Image.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        source.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
        storage.save(target, ContentFile(buffer.getvalue()))
    return size


def renditions(name, original_width, original_height, storage=default_storage):
    """[(url, width, height)] of an image's renditions, smallest first."""
    return [
        (storage.url(rendition_name(name, w if w < original_width else original_width)), w, h)
        for w, h in rendition_sizes(original_width, original_height)
    ]
