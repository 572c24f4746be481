"""Contact details and ID numbers that must not go out in the public Hỏi đáp.

Phones are any run of digits (with spaces, dots or dashes between) that
`normalize_phone` accepts; ID numbers are 9 digits (CMND) or 12 digits (CCCD)
written together, so money written "150.000.000" is not taken for one.
"""

import re

from portal.phones import normalize_phone

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT_RUN_RE = re.compile(r"\+?\d(?:[\s.\-]?\d)*")
_ID_RE = re.compile(r"^(?:\d{9}|\d{12})$")

PHONE = "số điện thoại"
EMAIL = "địa chỉ thư điện tử"
ID_NUMBER = "số CMND/CCCD"


def _numbers(run):
    """Phones and ID numbers in one run of digits; a run may hold several numbers side by side."""
    if normalize_phone(run):
        return [(PHONE, run)]
    found = []
    for piece in run.split():
        if normalize_phone(piece):
            found.append((PHONE, piece))
        elif _ID_RE.match(piece):
            found.append((ID_NUMBER, piece))
    return found


def find_personal_data(text, allowed=()):
    """[(kind, value as written), ...] for each e-mail address, phone number and ID number in `text`.

    `allowed` holds the unit's own phones (normalised) and e-mails (lower case): an answer may
    tell citizens to call the office.
    """
    found = [(EMAIL, match) for match in _EMAIL_RE.findall(text or "") if match.lower() not in allowed]
    rest = _EMAIL_RE.sub(" ", text or "")
    for match in _DIGIT_RUN_RE.finditer(rest):
        found.extend(
            (kind, value) for kind, value in _numbers(match.group().strip()) if normalize_phone(value) not in allowed
        )
    return found


def describe(found):
    """ "số điện thoại “0911 222 333”, địa chỉ thư điện tử “a@b.vn”"."""
    return ", ".join(f"{kind} “{value}”" for kind, value in found)
