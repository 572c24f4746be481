"""Spam checks that need no outside service: a honeypot field and a minimum fill time.

The form carries the time it was shown and a random nonce, signed, so a bot cannot
forge it; a person needs a few seconds to type a letter, a script does not. An
accepted feedback keeps the nonce (unique in the database), so one shown form
sends at most one feedback: a token cannot be replayed to skip the timer.
"""

import secrets
import time

from django.conf import settings
from django.core import signing

from .models import Feedback

SALT = "feedback.form-started"
MAX_AGE = 24 * 3600


def started_token(at=None):
    return signing.dumps({"t": at if at is not None else time.time(), "n": secrets.token_hex(16)}, salt=SALT)


def _payload(token):
    """The signed {"t": shown at, "n": nonce}, or None when missing, forged, too old or of the old form."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("n"), str):
        return None
    return payload


def nonce(token):
    payload = _payload(token)
    return payload["n"] if payload else None


def seconds_since(token):
    """Seconds since the form was shown, or None when the token is missing, forged or too old."""
    payload = _payload(token)
    return None if payload is None else time.time() - float(payload["t"])


def too_fast(token):
    elapsed = seconds_since(token)
    return elapsed is None or elapsed < settings.FEEDBACK_MIN_FILL_SECONDS


def sent_early(token):
    """A genuine timer that shows the form was sent sooner than a person could have typed it."""
    elapsed = seconds_since(token)
    return elapsed is not None and elapsed < settings.FEEDBACK_MIN_FILL_SECONDS


def already_used(token):
    """True when a feedback was already accepted from the form that carried this token."""
    value = nonce(token)
    return value is not None and Feedback.objects.filter(form_nonce=value).exists()
