"""Visits, online visitors and article views, as PORTAL.md section 4 defines them.

`record()` runs once per public page, cached or not:
- with REDIS_URL: one Lua call decides whether this request starts a visit or a view
  (last request of this visitor, or last view of this article, 30 minutes ago or more)
  and keeps the "online" set; the database is written only when a visit or view starts;
- without Redis, or while Redis does not answer: one upsert on `Presence` decides the same.
The counts themselves always live in the database (`DailyVisits`, `Article.view_count`),
incremented in the database (`visits + 1`, `F("view_count") + 1`), so concurrent requests on
several processes or machines never lose or double an increment.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from news.models import Article
from portal.limits import over_limit

from .models import DailyVisits, Presence

logger = logging.getLogger(__name__)

VISIT_WINDOW = timedelta(minutes=30)
VIEW_WINDOW = VISIT_WINDOW  # one window, so the database keeps both in one upsert
ONLINE_WINDOW = timedelta(minutes=5)
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
REDIS_RETRY_SECONDS = 5
PRUNE_EVERY_SECONDS = 60

# KEYS: visitor's last request, visitor's last view of the article (or ""), the online set.
# ARGV: visitor id (or "" for crawlers), now, visit window, view window, online window, key ttl.
# Returns {visit started, view started, online count}.
_SCRIPT = """
local now = tonumber(ARGV[2])
local function starts(key, window)
  local last = redis.call('SET', key, ARGV[2], 'EX', ARGV[6], 'GET')
  if (not last) or (now - tonumber(last) >= window) then return 1 end
  return 0
end
local visit, view = 0, 0
if ARGV[1] ~= '' then
  visit = starts(KEYS[1], tonumber(ARGV[3]))
  if KEYS[2] ~= '' then view = starts(KEYS[2], tonumber(ARGV[4])) end
  redis.call('ZADD', KEYS[3], now, ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[5]))
return {visit, view, redis.call('ZCARD', KEYS[3])}
"""

_scripts = {}
_redis_down_until = 0.0


@dataclass
class Recorded:
    visit_started: bool = False
    view_started: bool = False
    online: int | None = None  # None: count it in the database
    limited: bool = False


def local_day(moment):
    """The calendar day of `moment` in Asia/Ho_Chi_Minh: what "Hôm nay" counts."""
    return timezone.localtime(moment, LOCAL_ZONE).date()


def _redis_client():
    """The shared Redis, or None when not configured or recently found down."""
    url = getattr(settings, "REDIS_URL", "")
    if not url or time.monotonic() < _redis_down_until:
        return None
    script = _scripts.get(url)
    if script is None:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.3, socket_timeout=0.5)
        script = _scripts[url] = client.register_script(_SCRIPT)
    return script


def _key(*parts):
    return ":".join([settings.LIVE_KEY_PREFIX, *map(str, parts)])


def _mark_redis_down(error):
    global _redis_down_until
    _redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
    logger.warning("Redis unavailable, counting in the database: %s", error)


def _seen_in_redis(visitor_id, article_id, now):
    script = _redis_client()
    if script is None:
        return None
    keys = [
        _key("seen", visitor_id or "-"),
        _key("view", article_id, visitor_id) if article_id and visitor_id else "",
        _key("online"),
    ]
    args = [
        visitor_id or "",
        now.timestamp(),
        VISIT_WINDOW.total_seconds(),
        VIEW_WINDOW.total_seconds(),
        ONLINE_WINDOW.total_seconds(),
        int(max(VISIT_WINDOW, VIEW_WINDOW).total_seconds()) + 60,
    ]
    try:
        visit, view, online = script(keys=keys, args=args)
    except redis.RedisError as error:
        _mark_redis_down(error)
        return None
    return Recorded(bool(visit), bool(view), int(online))


def _seen_in_database(visitor_id, article_id, now):
    """One upsert: a row per visitor and per (article, visitor); `fresh` says a window started."""
    if not visitor_id:
        return Recorded()
    table = connection.ops.quote_name(Presence._meta.db_table)
    rows = [(f"v:{visitor_id}", now)]
    if article_id:
        rows.append((f"a:{article_id}:{visitor_id}", now))
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    params = [value for ident, seen in rows for value in (ident, seen, True)]
    # Both databases evaluate SET against the old row: `fresh` compares the previous visit.
    sql = (
        f"INSERT INTO {table} (ident, last_seen, fresh) VALUES {values} "
        f"ON CONFLICT (ident) DO UPDATE SET "
        f"fresh = ({table}.last_seen <= %s), last_seen = excluded.last_seen "
        f"RETURNING ident, fresh"
    )
    params.append(now - VISIT_WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fresh = {ident: bool(value) for ident, value in cursor.fetchall()}
    if cache.add("stats:presence-pruned", True, PRUNE_EVERY_SECONDS):
        Presence.objects.filter(last_seen__lt=now - VISIT_WINDOW).delete()
    return Recorded(
        visit_started=fresh.get(f"v:{visitor_id}", False),
        view_started=fresh.get(f"a:{article_id}:{visitor_id}", False),
    )


def _over_limit(request):
    """Bursts of new visits or views from one address stop counting (a school still gets its share)."""
    try:
        return over_limit(request, "stats.count", settings.ENGAGEMENT_COUNT_RATE)
    except Exception as error:  # a broken cache must not break pages
        logger.warning("Rate limit unavailable: %s", error)
        return False


def _add_counts(recorded, article_id, now):
    if recorded.visit_started:
        table = connection.ops.quote_name(DailyVisits._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (day, visits) VALUES (%s, 1) "
                f"ON CONFLICT (day) DO UPDATE SET visits = {table}.visits + 1",
                [local_day(now)],
            )
    if recorded.view_started:
        Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)


def record(request, article_id=None, count=True):
    """Count this request's visit and article view if they start now; say who is online.

    Crawlers (request.visitor_id None) and `count=False` are never counted. `limited` means
    the address is starting too many visits or views: nothing was counted, the caller answers 429.
    """
    now = timezone.now()
    visitor_id = getattr(request, "visitor_id", None) if count else None
    recorded = _seen_in_redis(visitor_id, article_id, now)
    if recorded is None:
        recorded = _seen_in_database(visitor_id, article_id, now)
    if recorded.visit_started or recorded.view_started:
        if _over_limit(request):
            return Recorded(online=recorded.online, limited=True)
        with transaction.atomic():
            _add_counts(recorded, article_id, now)
    return recorded
