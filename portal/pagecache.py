"""Whole-page cache for anonymous visitors, safe with live numbers and forms (docs/engagement.md).

A cached page is the HTML as rendered, with its live markers (see portal.live) left in and its
CSRF tokens swapped for a marker, so every visitor gets their own token and this moment's figures.
Entries are keyed by what changes the page: host (any spelling), path, the page number as an
integer (pages that paginate), and the declared query parameters (a search); any other parameter
(tracking ones such as utm_*, fbclid, gclid, zarsrc, or made up) does not change the page and is
left out of the key, so a link shared on Facebook or Zalo is served from cache. A Host port other
than the server's, a search or a list's page past the first asked for once, or a search without
results is answered without being kept. Each entry carries the content version: saving or deleting content that
pages show (post_save / post_delete, after commit) sets a new version, so every cached page is
stale at once; apps mark what pages do not show (`page_cache_ignored` on an app config or a
model, `shown_on_cached_pages()` on an instance). A short timeout, never past the next scheduled
article or local midnight, bounds anything signals miss.

With Redis (PAGE_CACHE_REDIS_URL), `PageCacheMiddleware` answers hits before the rest of the
middleware and the URL dispatch run: a hit needs only the visitor and CSRF cookies and the frame
header, which it gives as their own middleware would.

Never cached: requests other than GET/HEAD, requests with a session (staff, previews), with
pending messages or with a poll-voted cookie (their sidebar shows live results), and responses
that are not plain 200 pages.
"""

import hashlib
import logging
import math
import re
import uuid
from datetime import datetime, time, timedelta
from functools import lru_cache, wraps
from time import monotonic, sleep
from typing import NamedTuple
from urllib.parse import urlencode

import redis
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone

from . import live, units
from . import redis as shared_redis
from .visitors import give_cookie, identify

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
PAGE_VERSION = "pagever"
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_MARKER = r"\1<!--live:csrf-->\2"
# Longer query strings (a pasted essay in the search box) are answered, never kept.
MAX_QUERY_LENGTH = 300
MAX_PAGE = 100_000
# Added by sharing and advertising links; they never change the page.
TRACKING = re.compile(r"^(utm_[a-z_]+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|zarsrc|zalo_ts|igshid|_ga|mc_[a-z]+)$")
# A visitor who voted sees the poll's live results in the sidebar: their pages are not cached.
PERSONAL_COOKIE_PREFIXES = ("kpoll",)


# On a request, `page_cache_hit` says what PageCacheMiddleware found: a hit (limited or not) or
# None for a miss; the view's decorator then does not ask Redis again.
_NOT_ASKED = object()


class PageOptions(NamedTuple):
    """What `cache_public_page` was given for a view (PageCacheMiddleware finds it by the path)."""

    until: object = None
    query: object = None
    paginated: bool = False

    def kept_when_asked_again(self, request):
        """Whether a page is kept only once asked for again (see cache_public_page): a search's, and
        a list's pages past the first, which crawlers walk one at a time, each page once."""
        if self.query is not None:
            return True
        return self.paginated and (_page_number(request.GET.get("page", "")) or 1) > 1

    def worth_keeping(self, request, key, marks=None):
        """Plain pages always; the others only when asked for before. The page cache's own lookup
        said whether they were (`request.page_cache_asked`): a page asked for the first time leaves
        its mark with `marks` (sent with the counting call). Otherwise Django's cache keeps the mark."""
        if not self.kept_when_asked_again(request):
            return True
        asked = getattr(request, "page_cache_asked", None)
        if asked is None:
            return _asked_before(key)
        if not asked:
            mark = ("SET", asked_key(key), 1, "NX", "EX", settings.PAGE_CACHE_SECONDS)
            if marks is None:
                _store([mark])
            else:
                marks.append(mark)
        return asked


def _page_number(value):
    """The page number a `page` parameter names (1 for none), or None for junk (never kept)."""
    if value == "":
        return 1
    if not (value.isascii() and value.isdigit()) or len(value) > 6:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_PAGE else None


def _host(request):
    """The host a key names (any spelling Django accepts: case, a trailing dot), or None when the
    Host names a port other than the server's (never kept)."""
    host = request.get_host().lower()
    name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if name and port and port != request.META.get("SERVER_PORT", port):
        return None
    return (name or host).rstrip(".") + (f":{port}" if name else "")


PLAIN = PageOptions()


def _cache_key(request, options=PLAIN):
    if request.method not in ("GET", "HEAD"):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return None
    if any(name.startswith(PERSONAL_COOKIE_PREFIXES) for name in cookies):
        return None
    raw = request.META.get("QUERY_STRING", "")
    if len(raw) > MAX_QUERY_LENGTH:
        return None
    params = request.GET
    kept = {}
    for name in params:
        if TRACKING.match(name):
            continue
        if len(params.getlist(name)) > 1:
            return None
        if name == "page" and (options.paginated or (options.query and name in options.query)):
            number = _page_number(params[name])
            if number is None:
                return None
            if number > 1:
                kept[name] = str(number)
        elif options.query and name in options.query:
            if params[name]:
                kept[name] = params[name]
        # Anything else the view does not read (a `page` where nothing paginates, a made-up
        # parameter) does not change the page: the same entry serves it.
    host = _host(request)
    if host is None:
        return None
    digest = hashlib.md5(f"{host}{request.path}?{urlencode(sorted(kept.items()))}".encode(), usedforsecurity=False)
    return digest.hexdigest()


def _asked_before(key):
    """Whether this page was asked for in the last PAGE_CACHE_SECONDS (and remember that it was)."""
    return not cache.add(f"pagecache:asked:{key}", True, settings.PAGE_CACHE_SECONDS)


def asked_key(key):
    """The Redis key that marks the page `key` as asked for once (set only for a page that exists)."""
    return shared_redis.key("asked", key)


def asked_before(request):
    """Whether the page cache found this request's page asked for before (None: it did not look)."""
    return getattr(request, "page_cache_asked", None)


_scheduled = []


def register_scheduled(next_change):
    """`next_change()` gives the next moment an app's content changes by itself (a scheduled article
    appears), or None: no cached page or value is kept past it."""
    if next_change not in _scheduled:
        _scheduled.append(next_change)


def _timeout(until=None):
    """Seconds to keep a page: the setting, but never past local midnight, `until()` or the next
    scheduled change any app registered."""
    now = timezone.now()
    local = timezone.localtime(now)
    midnight = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min), local.tzinfo)
    limits = [settings.PAGE_CACHE_SECONDS, (midnight - now).total_seconds()]
    for next_change in (*_scheduled, *([until] if until else [])):
        moment = next_change()
        if moment is not None:
            limits.append((moment - now).total_seconds())
    return max(0.001, min(limits))


def cache_public_page(view, until=None, query=None, paginated=False):
    """Decorate a public view; `until()` may give the next moment its pages change by themselves.

    `paginated` says its pages take ?page=N (kept per number; a number beyond the last page is the
    view's 404). `query` names the parameters its pages may have (a search's words and filters).
    Such a page, and a paginated one past the first page, is kept only when the same one was asked
    for before within PAGE_CACHE_SECONDS, so that a stream of different queries, or a crawler
    reading every page of an archive once, leaves a small mark per page, never a page each.
    """
    options = PageOptions(until, query, paginated)

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        key = _cache_key(request, options)
        if key is None:
            return view(request, *args, **kwargs)
        client = shared_redis.client(shared_redis.CACHE)
        if client is not None:
            return _through_redis(client, request, key, view, options, args, kwargs)
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
        request.page_cache_stores = []  # a page rendered now is stored with the counting call, or below
        response = self.get_response(request)
        _store(take_page_stores(request))
        return response

    def _hit(self, request):
        if not shared_redis.available(shared_redis.CACHE):
            return None
        options = _page_options(settings.ROOT_URLCONF, request.path_info)
        if options is None:
            return None
        key = _cache_key(request, options)
        if key is None:
            return None
        identify(request)
        self.csrf.process_request(request)  # the browser's CSRF secret, which the page's forms need
        asking = asked_key(key) if options.kept_when_asked_again(request) else None
        hit = request.page_cache_hit = live.cached_page(request, key, asking)
        if hit is None:
            return None  # rendered by the view's decorator
        response = _filled(request, hit)
        response.headers["Content-Length"] = str(len(response.content))
        give_cookie(request, response)
        self.csrf.process_response(request, response)
        return self.frame.process_response(request, response)


def _cacheable(response):
    """Whether the response (rendered now) is a page that may be cached."""
    if hasattr(response, "render") and callable(response.render):
        response.render()
    if response.status_code != 200 or response.streaming or response.has_header("Cache-Control"):
        return False
    return getattr(response, "page_cache_keep", True)  # False: the view says it is not worth keeping


def _html(response):
    """The HTML of a cacheable response, ready to cache: its CSRF tokens are markers."""
    return CSRF_INPUT.sub(CSRF_MARKER, response.content.decode(response.charset))


def _cacheable_html(response):
    """The response's HTML ready to cache, or None when it must not be cached."""
    return _html(response) if _cacheable(response) else None


def _filled(request, hit):
    """The page of a Redis hit, its markers filled for this request (LiveNumbersMiddleware leaves it)."""
    request.live_filled = True
    return HttpResponse(live.substitute(request, hit.html, hit.numbers))


def _through_redis(client, request, key, view, options, args, kwargs):
    """Hit: one round trip gives the page, counts the request and reads its figures."""
    hit = getattr(request, "page_cache_hit", _NOT_ASKED)
    if hit is _NOT_ASKED:
        hit = live.cached_page(request, key, asked_key(key) if options.kept_when_asked_again(request) else None)
    if hit is not None:
        return _filled(request, hit)
    version = getattr(request, "page_cache_version", None)  # given by the miss's own call
    try:
        if version is None:
            version = client.get(version_key())
        if version is None:
            version = uuid.uuid4().hex
            client.set(version_key(), version, nx=True)
    except redis.RedisError as error:
        shared_redis.mark_down(shared_redis.CACHE, error)
        return view(request, *args, **kwargs)
    request.content_version = version  # the frame and kept values match the page (portal.fragments)
    response = view(request, *args, **kwargs)
    later = getattr(request, "page_cache_stores", None)
    if _cacheable(response) and options.worth_keeping(request, key, later):
        html = _html(response)
        article_id, counts_view = live.page_article(html)
        page = shared_redis.key("page", key)
        timeout = _timeout(options.until)
        expires = timezone.now().timestamp() + timeout  # checked by the Lua call: clock, not TTL
        viewed = str(article_id) if counts_view else ""
        store = [
            ("HSET", page, "v", version, "e", expires, "a", viewed, "html", html),
            ("EXPIRE", page, math.ceil(timeout)),
        ]
        if later is None:
            _store(store)
        else:
            later.extend(store)
        response.content = html
    return response


def take_page_stores(request):
    """The commands that keep the pages this request rendered, not sent yet (the counting call sends
    them in its own round trip when the page cache shares its server; PageCacheMiddleware sends the
    rest once the response is ready). Taken once."""
    stores = getattr(request, "page_cache_stores", None) or []
    request.page_cache_stores = []
    return stores


def _store(commands):
    if not commands:
        return
    try:
        replies = shared_redis.round_trip(shared_redis.CACHE, commands)
    except redis.RedisError as error:
        shared_redis.mark_down(shared_redis.CACHE, error)
        return
    for reply in replies:
        if isinstance(reply, redis.RedisError):
            logger.warning("A page was not kept: %s", reply)


def _through_django_cache(request, key, view, options, args, kwargs):
    """Without Redis: the page from Django's cache; the live middleware counts and fills it."""
    key = f"pagecache:page:{key}"
    version, entry = _with_version(key)
    if entry is not None and entry[0] == version and entry[1] > timezone.now().timestamp():
        return HttpResponse(entry[2])
    request.content_version = version
    response = view(request, *args, **kwargs)
    html = _cacheable_html(response)
    if html is not None and options.worth_keeping(request, key):
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


def cached(name, compute, until=None, repeated_only=False, asked=None):
    """`compute()`, kept in Django's cache under `name` until any content changes, as pages are.

    For what pages show but cannot be cached as whole pages, such as search results. With
    `repeated_only`, a value is kept only when `name` was asked for before within PAGE_CACHE_SECONDS
    (a stream of different searches leaves a small mark each, never their results); `asked` is
    what the caller knows of that already (`asked_before(request)`: the page asking for the value
    was asked for before or not), which saves the cache's own mark, and when False, the lookup too.
    """
    if repeated_only and asked is False:
        return compute()
    version, entry = _with_version(name)
    if entry is not None and entry[0] == version:
        return entry[1]
    # A search is rarely asked twice at once: only the values every page needs are waited for.
    claimed = not repeated_only and claim(name)
    if not repeated_only and not claimed:
        entry = wait_for(name, lambda found: found if found is not None and found[0] == version else None)
        if entry is not None:
            return entry[1]
    try:
        value = compute()
        if repeated_only and not (asked or _asked_before(name)):
            return value
        cache.set(name, (version, value), math.ceil(_timeout(until)))
        return value
    finally:
        if claimed:
            release(name)


# How long the processes that miss a shared value at once (content just changed) wait for the one
# computing it before computing it themselves (a slow query, a process that stopped).
CLAIM_SECONDS = 2


def claim(name):
    """Whether this process is to compute the shared value `name`: True unless another one is
    computing it now. A cache that cannot say (down, or a backend without add) says compute."""
    try:
        return cache.add(f"{name}:computing", 1, CLAIM_SECONDS) is not False
    except Exception:  # noqa: BLE001 - the claim only saves work
        return True


def release(name):
    """The value `name` is stored (or will not be): the processes waiting for it stop waiting."""
    try:
        cache.delete(f"{name}:computing")
    except Exception:  # noqa: S110, BLE001 - the claim ends by itself after CLAIM_SECONDS
        pass


def wait_for(name, usable):
    """The shared value `name` once the process that claimed it has stored it (`usable(entry)` is
    not None), or None as soon as its claim ends without one, or after CLAIM_SECONDS: then this
    process computes it. Waiting holds no interpreter lock and no connection."""
    deadline, pause, marker = monotonic() + CLAIM_SECONDS, 0.002, f"{name}:computing"
    while monotonic() < deadline:
        sleep(pause)
        pause = min(pause * 2, 0.05)
        try:
            found = cache.get_many([name, marker])
        except Exception:  # noqa: BLE001 - compute instead
            return None
        entry = usable(found.get(name))
        if entry is not None:
            return entry
        if marker not in found:
            return None
    return None


def shows_on_pages(sender, instance=None):
    """Whether saving or deleting `instance` of `sender` can change what a cached page shows."""
    meta = sender._meta
    if meta.app_label in settings.PAGE_CACHE_IGNORED_APPS or meta.label_lower in settings.PAGE_CACHE_IGNORED_MODELS:
        return False
    config = apps.app_configs.get(meta.app_label)  # None for Django's own migration records
    if config is None or getattr(config, "page_cache_ignored", False) or getattr(sender, "page_cache_ignored", False):
        return False
    check = getattr(instance, "shown_on_cached_pages", None)
    return check() if callable(check) else True


def version_key():
    """The Redis key of the current unit's content version (each unit's pages go stale alone)."""
    return shared_redis.key(PAGE_VERSION, units.owner_id())


def bump_version(**kwargs):
    """Make the unit's cached pages stale now, and again after commit (a refill in between saw old rows)."""
    sender = kwargs.get("sender")
    instance = kwargs.get("instance")
    if sender is not None and not shows_on_pages(sender, instance):
        return
    if kwargs.get("created") and sender._meta.label_lower == "portal.sitesettings":
        return  # the default row made on first use: pages were already rendered with these values
    unit_ids = _units_shown(sender, instance)
    for unit_id in unit_ids:
        new_version(unit_id)
    transaction.on_commit(lambda: [new_version(unit_id) for unit_id in unit_ids])


# What a province's pages show of its communes: their latest articles ("Tin từ các xã"), their
# portals (/don-vi/) and, in a search of the whole province, their search entries.
SHOWN_ON_PARENT = {"news.article", "search.searchentry", "portal.unit", "portal.unithost"}


def _units_shown(sender, instance):
    """The units whose pages may show `instance`: its own (found through its parent for a child row,
    the current one for a global row) and, for what a province shows of its communes, the province."""
    if instance is None:
        return [units.owner_id()]
    label = sender._meta.label_lower if sender is not None else ""
    if label == "portal.unit":
        own = instance.pk
    else:
        own = units.unit_id_of(instance) or units.owner_id()
    found = [own]
    if label in SHOWN_ON_PARENT:
        unit = units.get(own)
        parent_id = instance.parent_id if label == "portal.unit" else unit.parent_id if unit else None
        if parent_id and parent_id != own:
            found.append(parent_id)
    return found


def new_version(unit_id=None):
    """Make the pages of `unit_id` (default: the current unit) stale."""
    with units.active(unit_id or units.owner_id()):
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
        client = shared_redis.client(shared_redis.CACHE)
        if client is not None:
            try:
                client.set(version_key(), version)
            except redis.RedisError as error:
                shared_redis.mark_down(shared_redis.CACHE, error)
