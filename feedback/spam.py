"""Spam checks that need no outside service: a honeypot field and a minimum fill time.

The form carries the time it was shown, signed, so a bot cannot forge it;
a person needs a few seconds to type a letter, a script does not.
"""

import time

from django.conf import settings
from django.core import signing

SALT = "feedback.form-started"
MAX_AGE = 24 * 3600


def started_token(at=None):
    return signing.dumps(at if at is not None else time.time(), salt=SALT)


def seconds_since(token):
    """Seconds since the form was shown, or None when the token is missing, forged or too old."""
    try:
        started = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return time.time() - float(started)


def too_fast(token):
    elapsed = seconds_since(token)
    return elapsed is None or elapsed < settings.FEEDBACK_MIN_FILL_SECONDS


def sent_early(token):
    """A genuine timer that shows the form was sent sooner than a person could have typed it."""
    elapsed = seconds_since(token)
    return elapsed is not None and elapsed < settings.FEEDBACK_MIN_FILL_SECONDS
