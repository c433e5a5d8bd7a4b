"""Uploaded images: checked by their content, never by their name."""

from __future__ import annotations

import warnings

from django.conf import settings
from django.core.files.base import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MIN_SIDE = 100
MAX_SIDE = 10_000
MAX_PIXELS = 40_000_000


def image_problem(file: File) -> str | None:
    """Why this file cannot be a post image, in words for the editor; None when it can."""
    size = file.size or 0
    if size > settings.MAX_UPLOAD_BYTES:
        return _("This image is too large (%(size)s); %(max)s at most.") % {
            "size": filesizeformat(size),
            "max": filesizeformat(settings.MAX_UPLOAD_BYTES),
        }
    not_an_image = _("This file is not an image we can use: send a JPEG, PNG, GIF or WebP file.")
    try:
        file.seek(0)
        with warnings.catch_warnings():
            # A decompression bomb is refused below by its dimensions, not by a warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format, (width, height) = image.format, image.size
                image.verify()
    except Image.DecompressionBombError:
        return _("This image is too large in pixels.")
    except Exception:  # Pillow raises many kinds of errors for broken or foreign files
        return not_an_image
    finally:
        file.seek(0)
    if image_format not in ALLOWED_FORMATS:
        return not_an_image
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        return _("This image is too large in pixels (%(max)d × %(max)d at most).") % {
            "max": MAX_SIDE
        }
    if min(width, height) < MIN_SIDE:
        return _("This image is too small (%(min)d × %(min)d pixels at least).") % {"min": MIN_SIDE}
    return None


def image_extension(file: File) -> str:
    """The extension matching the image's real format (call after image_problem)."""
    file.seek(0)
    with Image.open(file) as image:
        extension = ALLOWED_FORMATS[image.format or ""]
    file.seek(0)
    return extension
