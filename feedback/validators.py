"""The feedback attachment check (phone numbers live in portal.phones, shared with the one-stop shop)."""

from django.conf import settings

from portal.files import IMAGE_KINDS, validate_upload
from portal.images import validate_image


def validate_attachment(upload):
    """An image or a PDF, at most FEEDBACK_ATTACHMENT_MAX_BYTES, judged by its content."""
    kind = validate_upload(upload, ["pdf", *sorted(IMAGE_KINDS)], settings.FEEDBACK_ATTACHMENT_MAX_BYTES)
    if kind in IMAGE_KINDS:
        validate_image(upload)
