"""Vietnamese phone numbers, in the one stored form every app compares."""

import re

from django.core.exceptions import ValidationError

# Mobile: 0 + 3/5/7/8/9 + 8 digits. Landline: 02 + 9 digits (area code and subscriber number).
_PHONE_RE = re.compile(r"^0(?:[35789]\d{8}|2\d{9})$")
_SEPARATORS = re.compile(r"[\s.\-()]")

PHONE_MESSAGE = "Số điện thoại không hợp lệ. Ví dụ: 0912345678, +84912345678 hoặc 0229 3862 152."


def normalize_phone(value):
    """ "+84 912 345 678" -> "0912345678"; returns "" for anything that is not a phone number."""
    digits = _SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits if _PHONE_RE.match(digits) else ""


def validate_phone(value):
    if not normalize_phone(value):
        raise ValidationError(PHONE_MESSAGE, code="phone")
