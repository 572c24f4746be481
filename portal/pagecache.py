"""Whole-page cache for anonymous visitors, safe with live numbers and forms.

A cached page is the HTML as rendered, with its live markers (see stats.live) left in
and its CSRF tokens swapped for a marker, so every visitor gets their own token and
this moment's figures. Entries are keyed by host + path (+ ?page=N) and carry the
content version: saving or deleting any content model (post_save / post_delete, after
commit) sets a new version, so every cached page is stale at once. A short timeout,
never past the next scheduled article or local midnight, bounds anything signals miss.

With Redis, `PageCacheMiddleware` answers hits before the rest of the middleware and the URL
dispatch run: a hit needs only the visitor and CSRF cookies and the frame header, which it gives
as their own middleware would.

Never cached: requests other than GET/HEAD, requests with a session (staff, previews), with
pending messages or with a poll-voted cookie (their sidebar shows live results), other query
strings, and responses that are not plain 200 pages.
"""

import hashlib
import math
import re
import uuid
from datetime import datetime, time, timedelta
from functools import lru_cache, wraps
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone

from .limits import too_many_requests
from .visitors import give_cookie, identify

VERSION_KEY = "pagecache:version"
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_MARKER = r"\1<!--live:csrf-->\2"
PAGE_QUERY = re.compile(r"^(page=\d{1,5})?$")
# Longer query strings (a pasted essay in the search box) are answered, never kept.
MAX_QUERY_LENGTH = 300

# Saving these does not change what a public page shows.
IGNORED_APPS = frozenset({"admin", "auth", "contenttypes", "sessions", "reversion", "axes", "ratings", "stats"})
# A vote adds a row here and counts by update(); the cached sidebar shows voters nothing of it.
IGNORED_MODELS = frozenset({"polls.vote"})
# A visitor who voted sees the poll's live results in the sidebar: their pages are not cached.
PERSONAL_COOKIE_PREFIXES = ("kpoll",)


# On a request, `page_cache_hit` says what PageCacheMiddleware found: a hit (limited or not) or
# None for a miss; the view's decorator then does not ask Redis again.
_NOT_ASKED = object()


class PageOptions(NamedTuple):
    """What `cache_public_page` was given for a view (PageCacheMiddleware finds it by the path)."""

    until: object = None
    query: object = None

    def worth_keeping(self, key):
        """Plain pages always; a page with a query only when asked for before (see cache_public_page)."""
        return self.query is None or _asked_before(key)


def _cache_key(request, query=None):
    if request.method not in ("GET", "HEAD"):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    if any(name.startswith(PERSONAL_COOKIE_PREFIXES) for name in cookies):
        return None
    raw = request.META.get("QUERY_STRING", "")
    if query is None:
        if not PAGE_QUERY.match(raw):
            return None
        normalized = raw
    else:
        params = request.GET
        if len(raw) > MAX_QUERY_LENGTH or any(n not in query or len(params.getlist(n)) > 1 for n in params):
            return None
        normalized = urlencode(sorted((name, value) for name, value in params.items() if value))
    digest = hashlib.md5(f"{request.get_host()}{request.path}?{normalized}".encode(), usedforsecurity=False)
    return digest.hexdigest()


def _asked_before(key):
    """Whether this page was asked for in the last PAGE_CACHE_SECONDS (and remember that it was)."""
    return not cache.add(f"pagecache:asked:{key}", True, settings.PAGE_CACHE_SECONDS)


def _timeout(until):
    """Seconds to keep a page: the setting, but never past local midnight or `until` (a scheduled article)."""
    now = timezone.now()
    local = timezone.localtime(now)
    midnight = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min), local.tzinfo)
    limits = [settings.PAGE_CACHE_SECONDS, (midnight - now).total_seconds()]
    moment = until() if until else None
    if moment is not None:
        limits.append((moment - now).total_seconds())
    return max(0.001, min(limits))


def cache_public_page(view, until=None, query=None):
    """Decorate a public view; `until()` may give the next moment its pages change by themselves.

    `query` names the parameters its pages may have besides ?page=N (a search's words and filters).
    Such a page is kept only when the same one was asked for before within PAGE_CACHE_SECONDS, so
    that a stream of different queries leaves a small mark per query, never a page each.
    """
    options = PageOptions(until, query)

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        key = _cache_key(request, query)
        if key is None:
            return view(request, *args, **kwargs)
        from stats import counters

        found = counters.redis_client()
        if found is not None:
            return _through_redis(found[0], request, key, view, options, args, kwargs)
        return _through_django_cache(request, key, view, options, args, kwargs)

    cached_view.page_options = options
    return cached_view


@lru_cache(maxsize=4096)
def _page_options(urlconf, path):
    """The PageOptions of the view that answers `path`, or None when its pages are not cached."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "page_options", None)


class PageCacheMiddleware:
    """Answers from the Redis page cache before sessions, messages, URL dispatch and the view run.

    Place it after the middleware that sets security headers (they still apply to its answers) and
    WhiteNoise. A hit is counted and filled as in the view's decorator; what the skipped middleware
    would add to such a page (the visitor cookie, a new browser's CSRF cookie, X-Frame-Options,
    Content-Length) is added here by the same code. Without Redis it does nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.frame = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        if request.method == "GET":
            response = self._hit(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _hit(self, request):
        from stats import counters

        if counters.redis_client() is None:
            return None
        options = _page_options(settings.ROOT_URLCONF, request.path_info)
        if options is None:
            return None
        key = _cache_key(request, options.query)
        if key is None:
            return None
        identify(request)
        self.csrf.process_request(request)  # the browser's CSRF secret, which the page's forms need
        hit = request.page_cache_hit = counters.cached_page(request, key)
        if hit is None or hit.limited:
            return None  # rendered, or refused, by the view's decorator
        response = _filled(request, hit)
        response.headers["Content-Length"] = str(len(response.content))
        give_cookie(request, response)
        self.csrf.process_response(request, response)
        return self.frame.process_response(request, response)


def _cacheable_html(response):
    """The response's HTML ready to cache, or None when it must not be cached."""
    if hasattr(response, "render") and callable(response.render):
        response.render()
    if response.status_code != 200 or response.streaming or response.has_header("Cache-Control"):
        return None
    return CSRF_INPUT.sub(CSRF_MARKER, response.content.decode(response.charset))


def _filled(request, hit):
    """The page of a Redis hit, its markers filled for this request (LiveNumbersMiddleware leaves it)."""
    from stats import live

    request.live_filled = True
    return HttpResponse(live.substitute(request, hit.html, hit.numbers))


def _through_redis(client, request, key, view, options, args, kwargs):
    """Hit: one Lua call gives the page, counts the request and reads its figures."""
    import redis

    from stats import counters, live

    hit = getattr(request, "page_cache_hit", _NOT_ASKED)
    if hit is _NOT_ASKED:
        hit = counters.cached_page(request, key)
    if hit is not None:
        if hit.limited:
            return too_many_requests(request)
        return _filled(request, hit)
    try:
        version = client.get(counters.key(counters.PAGE_VERSION))
        if version is None:
            version = uuid.uuid4().hex
            client.set(counters.key(counters.PAGE_VERSION), version, nx=True)
    except redis.RedisError as error:
        counters.mark_redis_down(error)
        return view(request, *args, **kwargs)
    response = view(request, *args, **kwargs)
    html = _cacheable_html(response)
    if html is not None and options.worth_keeping(key):
        views = live.VIEWS_MARKER.search(html)
        try:
            with client.pipeline(transaction=False) as pipe:
                page = counters.key("page", key)
                timeout = _timeout(options.until)
                expires = timezone.now().timestamp() + timeout  # checked by the Lua call: clock, not TTL
                pipe.hset(
                    page, mapping={"v": version, "e": expires, "a": views.group(1) if views else "", "html": html}
                )
                pipe.expire(page, math.ceil(timeout))
                pipe.execute()
        except redis.RedisError as error:
            counters.mark_redis_down(error)
        response.content = html
    return response


def _through_django_cache(request, key, view, options, args, kwargs):
    """Without Redis: the page from Django's cache; the live middleware counts and fills it."""
    key = f"pagecache:page:{key}"
    version, entry = _with_version(key)
    if entry is not None and entry[0] == version and entry[1] > timezone.now().timestamp():
        return HttpResponse(entry[2])
    response = view(request, *args, **kwargs)
    html = _cacheable_html(response)
    if html is not None and options.worth_keeping(key):
        timeout = _timeout(options.until)
        # The expiry is also kept in the entry and checked against the clock, like the Redis path.
        cache.set(key, (version, timezone.now().timestamp() + timeout, html), math.ceil(timeout))
        response.content = html
    return response


def _with_version(name):
    """(the content version, the cache entry `name`) in one cache round trip."""
    found = cache.get_many([VERSION_KEY, name])
    version = found.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
    return version, found.get(name)


def cached(name, compute, until=None):
    """`compute()`, kept in Django's cache under `name` until any content changes, as pages are.

    For what pages show but cannot be cached as whole pages, such as search results.
    """
    version, entry = _with_version(name)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    cache.set(name, (version, value), math.ceil(_timeout(until)))
    return value


def bump_version(**kwargs):
    """Make every cached page stale now, and again after commit (a refill in between saw old rows)."""
    sender = kwargs.get("sender")
    if sender is not None and sender._meta.app_label in IGNORED_APPS:
        return
    if sender is not None and sender._meta.label_lower in (IGNORED_MODELS | set(settings.PAGE_CACHE_IGNORED_MODELS)):
        return
    if kwargs.get("created") and sender._meta.label_lower == "portal.sitesettings":
        return  # the default row made on first use: pages were already rendered with these values
    _new_version()
    transaction.on_commit(_new_version)


def _new_version():
    import redis

    from stats import counters

    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    found = counters.redis_client()
    if found is not None:
        try:
            found[0].set(counters.key(counters.PAGE_VERSION), version)
        except redis.RedisError as error:
            counters.mark_redis_down(error)
