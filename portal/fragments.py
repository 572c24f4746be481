"""Parts of the page frame that every page shows alike, rendered once per process and content version.

The header (banner, date line, menu), the sidebar and the footer of a page do not depend on the page:
a page the page cache cannot help (an article never asked for, a deep category page, a new search)
would otherwise render them, with their queries, every time. `{% shared "name" %}...{% endshared %}`
(portal_tags) keeps what it encloses in this process's memory and reuses it while the content
version is the one the page cache uses (any saved content makes it stale, in every process at once)
and until the earliest of: PAGE_CACHE_SECONDS, local midnight (the date line) and any moment a tag
inside declared with `changes_at` (a poll that closes, a document scheduled to appear).

What is kept is never personal: CSRF tokens are kept as the live marker the page fills per request
(portal.live), and a request with a personal cookie (a voted poll shows its results) renders the
fragment afresh. Live figures inside stay markers, filled per request.
"""

import threading
from datetime import datetime, time, timedelta

import redis
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import redis as shared_redis
from .pagecache import CSRF_INPUT, CSRF_MARKER, PAGE_VERSION, PERSONAL_COOKIE_PREFIXES, VERSION_KEY

_kept = {}  # name -> (content version, expiry timestamp, html)
_local = threading.local()


def content_version(request):
    """The page cache's content version (read once per request), or None when there is none yet."""
    version = getattr(request, "_content_version", False)
    if version is False:
        version = None
        client = shared_redis.client(shared_redis.CACHE)
        if client is not None:
            try:
                version = client.get(shared_redis.key(PAGE_VERSION))
            except redis.RedisError as error:
                shared_redis.mark_down(shared_redis.CACHE, error)
        else:
            version = cache.get(VERSION_KEY)
        if request is not None:
            request._content_version = version
    return version


def changes_at(moment):
    """Called while a shared fragment renders: what it shows changes at `moment` (None: no change).

    `moment` may be a function, called only when a fragment is being kept (it may cost a query).
    """
    moments = getattr(_local, "moments", None)
    if moments is None:
        return
    moment = moment() if callable(moment) else moment
    if moment is not None:
        moments.append(moment)


def _personal(request):
    """Requests whose frame may differ: no request, a form sent (a vote just cast), a personal cookie."""
    if request is None or request.method not in ("GET", "HEAD"):
        return True
    return any(name.startswith(PERSONAL_COOKIE_PREFIXES) for name in request.COOKIES)


def _expiry(now, moments):
    local = timezone.localtime(now)
    midnight = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min), local.tzinfo)
    return min([now + timedelta(seconds=settings.PAGE_CACHE_SECONDS), midnight, *moments]).timestamp()


def shared(request, name, render):
    """The HTML `render()` gives for fragment `name`, kept as the module says."""
    if _personal(request):
        return render()
    version = content_version(request)
    now = timezone.now()
    kept = _kept.get(name)
    if version is not None and kept is not None and kept[0] == version and kept[1] > now.timestamp():
        return mark_safe(kept[2])
    _local.moments = []
    try:
        html = CSRF_INPUT.sub(CSRF_MARKER, str(render()))
        moments = _local.moments
    finally:
        _local.moments = None
    if version is not None:
        _kept[name] = (version, _expiry(now, moments), html)
    return mark_safe(html)


def forget():
    """Drop every kept fragment (tests)."""
    _kept.clear()
