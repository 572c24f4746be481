"""Who is visiting: one browser is one visitor, known by a first-party cookie.

docs/product.md (engagement definitions): known crawlers are not visitors. Every counter (views,
visits, ratings, votes) asks this module, so the definition lives in one place.
"""

import re
import uuid

from django.conf import settings

VISITOR_COOKIE = "kv"
# Set once a browser has rated an article: only then can a page show "your rating", so pages for
# everyone else skip looking it up.
RATED_COOKIE = "kr"
VISITOR_COOKIE_AGE = 2 * 365 * 24 * 3600

_CRAWLER = re.compile(
    r"bot|crawl|spider|slurp|curl|wget|python-requests|httpclient|headless|lighthouse|"
    r"facebookexternalhit|zalo.*(preview|crawler)|preview|monitor|uptime|scan",
    re.I,
)
_VALID_ID = re.compile(r"^[0-9a-f]{32}$")


def is_crawler(request):
    agent = request.META.get("HTTP_USER_AGENT", "")
    return not agent or bool(_CRAWLER.search(agent))


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
    """Sets request.visitor_id (None for crawlers) and whether the browser is new, once per request."""
    if hasattr(request, "visitor_id"):
        return
    cookie = request.COOKIES.get(VISITOR_COOKIE, "")
    request.is_crawler = is_crawler(request)
    request.is_new_visitor = False
    if request.is_crawler:
        request.visitor_id = None
    elif _VALID_ID.match(cookie):
        request.visitor_id = cookie
    else:
        request.visitor_id = uuid.uuid4().hex
        request.is_new_visitor = True


def give_cookie(request, response):
    """Gives a new browser its visitor cookie."""
    if request.is_new_visitor:
        _keep_cookie(response, VISITOR_COOKIE, request.visitor_id)
    return response


class VisitorMiddleware:
    """Sets request.visitor_id (None for crawlers) and gives new browsers their cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        identify(request)
        return give_cookie(request, self.get_response(request))
