"""Who is visiting: one browser is one visitor, known by a first-party cookie the server signed.

Known crawlers and HTTP libraries are not visitors (a kept list, `crawlerdetect`). Every counter
(views, visits, ratings, votes) asks this module, so the definition lives in one place.

The visitor cookie is `<32 hex>:<signature>`, signed with SECRET_KEY: a cookie the server did not
issue (made up, altered, or an older unsigned one) is a new visitor, who gets a cookie of their
own. A rating or a vote needs a visitor issued on an earlier page view (`is_returning`).
"""

import re
import uuid
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.core import signing

VISITOR_COOKIE = "kv"
# Set once a browser has rated an article: only then can a page show "your rating", so pages for
# everyone else skip looking it up.
RATED_COOKIE = "kr"
VISITOR_COOKIE_AGE = 2 * 365 * 24 * 3600
SALT = "portal.visitors"

# What the kept list does not name: link previews of Vietnamese apps, page audits, and no agent at all.
_ALSO_AUTOMATED = re.compile(r"zalo.*(preview|crawler)|headless|lighthouse|preview|uptime|monitor", re.I)
_VALID_ID = re.compile(r"^[0-9a-f]{32}$")
_detector = CrawlerDetect()


@lru_cache(maxsize=8192)
def is_automated(agent):
    """Whether a User-Agent is a crawler, a feed fetcher or an HTTP library (memoised per agent)."""
    if not agent or _ALSO_AUTOMATED.search(agent):
        return True
    return _detector.is_crawler(agent)


def is_crawler(request):
    # The kept list's patterns cost more the longer the agent: real crawlers name themselves within
    # the first 160 characters (Googlebot's and bingbot's phone agents by about 150).
    return is_automated(request.META.get("HTTP_USER_AGENT", "")[:160])


def signed(visitor_id, key=None):
    """The cookie value that names `visitor_id` (signed with SECRET_KEY, or `key`)."""
    return signing.Signer(key=key, salt=SALT, fallback_keys=[] if key else None).sign(visitor_id)


@lru_cache(maxsize=65536)
def _issued(cookie, secret):
    """The visitor id in a cookie the server signed, or None (memoised: a browser sends it on every page)."""
    try:
        value = signing.Signer(key=secret, salt=SALT).unsign(cookie)
    except signing.BadSignature:
        return None
    return value if _VALID_ID.match(value) else None


def has_rated(request):
    return request.COOKIES.get(RATED_COOKIE) == "1"


def _keep_cookie(response, name, value):
    """A first-party cookie for two years, never readable by scripts."""
    response.set_cookie(
        name,
        value,
        max_age=VISITOR_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG and settings.SESSION_COOKIE_SECURE,
    )
    return response


def remember_rated(response):
    return _keep_cookie(response, RATED_COOKIE, "1")


def identify(request):
    """Sets request.visitor_id (None for automated clients) and whether the visitor is new, once per request.

    `request.is_new_visitor` is true for a browser without a cookie the server issued: it gets one
    with this answer, and it cannot rate or vote before it comes back with it.
    """
    if hasattr(request, "visitor_id"):
        return
    request.is_crawler = is_crawler(request)
    request.is_new_visitor = False
    if request.is_crawler:
        request.visitor_id = None
        return
    cookie = request.COOKIES.get(VISITOR_COOKIE, "")
    found = _issued(cookie, settings.SECRET_KEY) if 32 < len(cookie) < 100 else None
    if found is None:
        found = uuid.uuid4().hex
        request.is_new_visitor = True
    request.visitor_id = found


def is_returning(request):
    """A visitor the server issued on an earlier page view (not a crawler, not a made-up cookie)."""
    identify(request)
    return request.visitor_id is not None and not request.is_new_visitor


def give_cookie(request, response):
    """Gives a new browser its visitor cookie."""
    if request.is_new_visitor:
        _keep_cookie(response, VISITOR_COOKIE, signed(request.visitor_id))
    return response


class VisitorMiddleware:
    """Sets request.visitor_id (None for crawlers) and gives new browsers their cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        identify(request)
        return give_cookie(request, self.get_response(request))
