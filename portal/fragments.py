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
import time as time_
from datetime import UTC, datetime, time, timedelta

import redis
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import pagecache, units
from . import redis as shared_redis
from .pagecache import CSRF_INPUT, CSRF_MARKER, PERSONAL_COOKIE_PREFIXES, VERSION_KEY

_kept = {}  # (unit, name) -> (content version, expiry timestamp, html)
# The names of the shared values this process has kept (each unit has its own copy of each), and
# per unit (content version, the names asked for together at that version).
_names = {}
_fetched = {}
MAX_NAMES = 64
_local = threading.local()
_locks = {}  # (unit, name) -> the lock of the thread computing it
LOCK_SECONDS = 2
_MISSING = object()


def content_version(request=None):
    """The page cache's content version for this request, or None when there is none yet.

    Read once per request: the one the page cache read before the view ran (the page is kept under
    it), else from the cache. Without `request`, the request this thread is serving.
    """
    request = request or getattr(_local, "request", None)
    version = getattr(request, "content_version", False)
    if version is False:
        version = None
        client = shared_redis.client(shared_redis.CACHE)
        if client is not None:
            try:
                version = client.get(pagecache.version_key())
            except redis.RedisError as error:
                shared_redis.mark_down(shared_redis.CACHE, error)
        else:
            version = cache.get(VERSION_KEY)
        if request is not None:
            request.content_version = version
    return version.decode() if isinstance(version, bytes) else version


class CurrentRequestMiddleware:
    """Lets code without the request (a view's queries, the page cache's `until`) find its version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _local.request = request
        try:
            return self.get_response(request)
        finally:
            _local.request = None


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


def kept(name, compute, request=None, share=True):
    """`compute()`, kept in this process as a fragment is (for values the frame or a page reads often:
    the categories, when the next scheduled article appears); `compute` may call `changes_at`.

    Behind this process's copy is one in the shared cache (`share`), under the same content version
    and until the same moment: a process that lacks a value (just started, or serving a unit it had
    not served yet: with 100 units each worker would otherwise render every unit's frame itself)
    takes it from there rather than computing it again. Values are pickled: model rows, lists, HTML."""
    version = content_version(request)
    unit = units.owner_id()
    found = _current(unit, name, version)
    if found is not _MISSING:
        return found
    if version is None:  # nothing is kept without a content version: no one to wait for
        return _fetch_or_compute(unit, name, version, compute, share)
    # The threads of this process that miss at once (content just changed) wait for the first one's
    # value rather than each computing it; a wait that lasts (a slow query) ends in computing too.
    lock = _locks.setdefault((unit, name), threading.RLock())
    locked = lock.acquire(timeout=LOCK_SECONDS)
    try:
        found = _current(unit, name, version)
        if found is not _MISSING:
            return found
        return _fetch_or_compute(unit, name, version, compute, share)
    finally:
        if locked:
            lock.release()


def _current(unit, name, version):
    """This process's copy of `name` if it is of `version` and not past its expiry, else _MISSING."""
    found = _kept.get((unit, name))
    # time.time() is timezone.now()'s clock, without its settings lookup and datetime: a page asks
    # for its kept values and fragments dozens of times.
    if version is not None and found is not None and found[0] == version and found[1] > time_.time():
        if getattr(_local, "moments", None) is not None:  # a fragment that reads this value is being kept
            changes_at(datetime.fromtimestamp(found[1], UTC))
        return found[2]
    return _MISSING


def _fetch_or_compute(unit, name, version, compute, share):
    now = timezone.now()
    shared_key, claimed = f"kept:{name}:{version}", False
    if version is not None and share:
        if len(_names) < MAX_NAMES:
            _names[name] = None
        fetched = _fetched.get(unit)
        if fetched is None or fetched[0] != version:
            # The first value a page asks for in a unit new to this process (or whose content
            # changed) brings every value this process knows by name, in one round trip.
            names = frozenset(_names)
            fetched = _fetched[unit] = (version, names if _fetch_all(unit, version, names, now) else frozenset())
            found = _current(unit, name, version)
            if found is not _MISSING:
                return found
        # A value that one request did not find is not asked for again: computed and shared below.
        found = None if name in fetched[1] else _entry(_shared_get(shared_key), now)
        # The other processes missed it too (content just changed): one computes, the rest wait.
        claimed = found is None and pagecache.claim(shared_key)
        if found is None and not claimed:
            found = pagecache.wait_for(shared_key, lambda entry: _entry(entry, timezone.now()))
        if found is not None:
            changes_at(datetime.fromtimestamp(found[0], UTC))
            _kept[unit, name] = (version, found[0], found[1])
            return found[1]
    try:
        return _compute(unit, name, version, compute, share, now, shared_key)
    finally:
        if claimed:
            pagecache.release(shared_key)


def _compute(unit, name, version, compute, share, now, shared_key):
    outer, _local.moments = getattr(_local, "moments", None), []
    try:
        value = compute()
        moments = _local.moments
    finally:
        _local.moments = outer
    if outer is not None:
        outer.extend(moments)  # a fragment that reads a kept value changes when that value does
    if version is not None:
        expiry = _expiry(now, moments)
        _kept[unit, name] = (version, expiry, value)
        if share:
            _shared_set(shared_key, (expiry, value), expiry - now.timestamp())
    return value


def _fetch_all(unit, version, names, now):
    """The values `names` of `unit` at `version` from the shared cache into this process's copies,
    in one request; False when the cache could not be asked."""
    names = {f"kept:{name}:{version}": name for name in names}
    try:
        found = cache.get_many(list(names))
    except Exception:  # a broken cache or an entry of an older build: each value is computed
        return False
    for key, entry in found.items():
        entry = _entry(entry, now)
        if entry is not None and key in names:
            _kept[unit, names[key]] = (version, *entry)
    return True


def _entry(found, now):
    """A shared copy as `kept` writes it, (expiry timestamp, value), if it is one and not past its
    expiry; else None (missing, ended, or not written by this build)."""
    if not isinstance(found, tuple | list) or len(found) != 2:
        return None
    expiry, value = found
    if not isinstance(expiry, int | float) or isinstance(expiry, bool) or expiry <= now.timestamp():
        return None
    return expiry, value


def _shared_get(key):
    try:
        return cache.get(key)
    except Exception:  # a broken cache or an entry of an older build: compute instead
        return None


def _shared_set(key, entry, seconds):
    if seconds < 1:
        return
    try:
        cache.set(key, entry, int(seconds))
    except Exception:  # noqa: S110 - the shared copy only saves work; this process keeps its own
        pass


def shared(request, name, render):
    """The HTML `render()` gives for fragment `name`, kept as the module says."""
    if _personal(request):
        return render()
    return mark_safe(kept(f"fragment:{name}", lambda: CSRF_INPUT.sub(CSRF_MARKER, str(render())), request))


def forget():
    """Drop every kept fragment (tests); the names stay known, as in a worker that served another unit."""
    _kept.clear()
    _fetched.clear()
