"""The CSRF token of the forms in cached pages (rating, poll), made cheaply on every request.

It is Django's token, made the way `django.middleware.csrf.get_token` makes it: the cookie
secret (a new one when the browser has none), masked with 32 fresh random characters so every
response carries a different token (BREACH). Django draws the characters one operating-system
call each (`get_random_string`), 64 calls for a browser without the cookie: that was the largest
cost of serving a cached article. Here the same characters come from one call, one token serves
every form of the response, and the cookie is sent only when it is new. CsrfViewMiddleware checks
the token as usual.
"""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_COUNT = len(CSRF_ALLOWED_CHARS)
_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# Bytes from this value up are dropped, so that every character is equally likely.
_UNBIASED = 256 - 256 % _COUNT


def random_indexes(length):
    """`length` uniformly random positions in CSRF_ALLOWED_CHARS, from the operating system."""
    found = []
    while len(found) < length:
        found += [byte % _COUNT for byte in secrets.token_bytes(length + 8) if byte < _UNBIASED]
    return found[:length]


def _chars(indexes):
    return "".join(CSRF_ALLOWED_CHARS[index] for index in indexes)


def form_token(request):
    """The masked CSRF token for this response's forms (one per request)."""
    token = getattr(request, "_form_csrf_token", None)
    if token is not None:
        return token
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:  # as Django's get_token: a new secret, sent as the cookie
        secret = request.META["CSRF_COOKIE"] = _chars(random_indexes(CSRF_SECRET_LENGTH))
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    # A browser that sent its cookie keeps it: unlike get_token, no Set-Cookie on every page to push
    # a year-long expiry a day further (an expired cookie is simply made anew on the next page).
    mask = random_indexes(CSRF_SECRET_LENGTH)
    cipher = _chars((_INDEX[char] + offset) % _COUNT for char, offset in zip(secret, mask, strict=True))
    token = request._form_csrf_token = _chars(mask) + cipher
    return token
