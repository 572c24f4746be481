"""Visits, online visitors, article views and the figures pages show (PORTAL.md section 4).

The counts live in the database (`DailyVisits`, `Article.view_count`, `RatingSummary`), always
incremented by the database (`visits + n`, `view_count + n`), so concurrent requests on several
processes or machines never lose or double an increment.

With REDIS_URL, one Lua call per request does everything else: it finds the cached page (if
asked), decides whether this request starts a visit or a view (the visitor's previous request,
or previous view of the article, 30 minutes ago or more), applies the burst limit, keeps the
"online" set and returns every figure from Redis mirrors of the database counts. A counted visit
or view is added to its mirror and to a `pending` hash in that same call; once per LIVE_FLUSH_MS
the call tells one request (on any machine) to write the pending sums to the database in one
transaction (`flush_pending`). A missing mirror is seeded by the next reader from the database
plus what is pending, unless a flush moved counts between that reader's query and its seed (a
generation number says so), or a `dirty` mark (set for LIVE_DIRTY_MS by `forget` after a rating
or an admin change) says the database may have moved. Mirrors expire after a few minutes, so even
a seed racing a stall longer than that mark heals.

So a cached page costs one Redis round trip (the call, then the page's HTML, sent together on a
connection each thread keeps) and no SQL, new views included; the database gets one write per
second at most, whatever the traffic. Redis keeps at most that second of counts the database has
not got yet (`manage.py flush_counters` writes them at once, e.g. before stopping Redis).

Without Redis, or while Redis does not answer, one upsert on `Presence` decides the same, one
write adds the counts and one SQL query reads the figures.
"""

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from news.models import Article
from portal.limits import over_limit
from portal.visitors import has_rated
from ratings.models import Rating, RatingSummary

from .models import DailyVisits, Presence, VisitCounter

logger = logging.getLogger(__name__)

# One 30-minute window ends both a visit and a repeat view (PORTAL.md), so one upsert or one
# Lua call decides both.
VISIT_WINDOW = timedelta(minutes=30)
ONLINE_WINDOW = timedelta(minutes=5)
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
REDIS_RETRY_SECONDS = 5
PRUNE_EVERY_SECONDS = 60
MIRROR_SECONDS = 600
PAGE_VERSION = "pagever"

_LIVE = """
local p = ARGV[1]
local article, count_view = ARGV[7], ARGV[8] == '1'
if KEYS[2] ~= '' then
  local entry = redis.call('HMGET', KEYS[2], 'v', 'e', 'a')
  if (not entry[1]) or entry[1] ~= redis.call('GET', KEYS[1]) then return {0} end
  if tonumber(entry[2]) <= tonumber(ARGV[3]) then return {0} end
  article = entry[3]
  count_view = article ~= ''
end
local now, visitor = tonumber(ARGV[3]), ARGV[2]
local function starts(key)
  local last = redis.call('SET', key, ARGV[3], 'EX', ARGV[6], 'GET')
  if (not last) or (now - tonumber(last) >= tonumber(ARGV[4])) then return 1 end
  return 0
end
local function bump(name)
  redis.call('HINCRBY', p .. ':pending', name, 1)
  if redis.call('EXISTS', p .. ':n:' .. name) == 1 then redis.call('INCR', p .. ':n:' .. name) end
end
local visit, view, limited = 0, 0, 0
if visitor ~= '' then
  visit = starts(p .. ':seen:' .. visitor)
  if article ~= '' and count_view then view = starts(p .. ':view:' .. article .. ':' .. visitor) end
  redis.call('ZADD', p .. ':online', now, visitor)
  if visit == 1 or view == 1 then
    local period = tonumber(ARGV[12])
    local rl = p .. ':rl:' .. ARGV[10] .. ':' .. math.floor(now / period)
    local n = redis.call('INCR', rl)
    if n == 1 then redis.call('EXPIRE', rl, period * 2) end
    if n > tonumber(ARGV[11]) then limited = 1
    else
      if visit == 1 then bump('visits'); bump('day:' .. ARGV[9]) end
      if view == 1 then bump('views:' .. article) end
    end
  end
end
redis.call('ZREMRANGEBYSCORE', p .. ':online', '-inf', now - tonumber(ARGV[5]))
local flush = 0
if redis.call('EXISTS', p .. ':pending') == 1 and redis.call('SET', p .. ':flushed', 1, 'NX', 'PX', ARGV[14]) then
  flush = 1
end
local keys = {p .. ':n:visits', p .. ':n:offset', p .. ':n:day:' .. ARGV[9]}
if article ~= '' then
  table.insert(keys, p .. ':n:views:' .. article)
  table.insert(keys, p .. ':n:rsum:' .. article)
  table.insert(keys, p .. ':n:rcnt:' .. article)
  if visitor ~= '' and ARGV[13] == '1' then table.insert(keys, p .. ':n:own:' .. article .. ':' .. visitor) end
end
local values = redis.call('MGET', unpack(keys))
for i = 1, #keys do if not values[i] then values[i] = '' end end
local online, generation = redis.call('ZCARD', p .. ':online'), redis.call('GET', p .. ':flushgen') or '0'
return {1, article, visit, view, limited, online, values, flush, generation}
"""

# A mirror is seeded with the database's value plus what is pending, which is exact unless a flush
# moved counts from one to the other meanwhile: `flushgen` goes up by one when a flush takes the
# pending counts and again once they are committed, so a reader seeds only if the generation it saw
# before reading the database is still the current one, and even (no flush on its way).
# KEYS: the pending hash, the generation, then pairs of (mirror, its dirty mark); ARGV: the names,
# the values read from the database, the mirror lifetime, the generation seen. Returns what is
# pending for each name: a reader whose seed is refused shows the sum all the same.
_SEED = """
local count, pending = (#KEYS - 2) / 2, {}
local generation = redis.call('GET', KEYS[2]) or '0'
local settled = generation == ARGV[#ARGV] and tonumber(generation) % 2 == 0
for i = 1, count do
  pending[i] = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  if settled and redis.call('EXISTS', KEYS[2 * i + 2]) == 0 then
    redis.call('SET', KEYS[2 * i + 1], tonumber(ARGV[count + i]) + pending[i], 'EX', ARGV[#ARGV - 1], 'NX')
  end
end
return pending
"""

# KEYS: the pending hash, the flush lock, the generation. Takes every pending count, unless another
# flush is on its way (flushes never overlap; a crashed one frees the lock after a minute).
_TAKE = """
if not redis.call('SET', KEYS[2], 1, 'NX', 'EX', 60) then return false end
local generation = tonumber(redis.call('GET', KEYS[3]) or '0')
if generation % 2 == 1 then redis.call('INCR', KEYS[3]) end
redis.call('INCR', KEYS[3])
local items = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return items
"""
# KEYS: the flush lock, the generation, the pending hash; ARGV: (name, count) pairs the database
# did not take, put back for the next flush.
_SETTLE = """
for i = 1, #ARGV, 2 do redis.call('HINCRBY', KEYS[3], ARGV[i], ARGV[i + 1]) end
redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
"""

_TIMEOUTS = {"socket_connect_timeout": 0.3, "socket_timeout": 0.5}
_clients = {}
_flush_scripts = {}
_local = threading.local()
_redis_down_until = 0.0


@dataclass
class Live:
    """What one request counted, and the figures its page shows."""

    numbers: dict = field(default_factory=dict)
    visit_started: bool = False
    view_started: bool = False
    limited: bool = False
    html: str = ""


def local_day(moment):
    """The calendar day of `moment` in Asia/Ho_Chi_Minh: what "Hôm nay" counts."""
    return timezone.localtime(moment, LOCAL_ZONE).date()


def redis_client():
    """(client, live script, seed script) for the shared Redis, or None when absent or recently down."""
    url = getattr(settings, "REDIS_URL", "")
    if not url or time.monotonic() < _redis_down_until:
        return None
    found = _clients.get(url)
    if found is None:
        client = redis.Redis.from_url(url, **_TIMEOUTS)
        found = _clients[url] = (client, client.register_script(_LIVE), client.register_script(_SEED))
        _flush_scripts[url] = (client.register_script(_TAKE), client.register_script(_SETTLE))
    return found


def _connection(url):
    """This thread's own kept connection, for the call every page makes: no pool to lock and probe."""
    connections = _local.__dict__.setdefault("connections", {})
    found = connections.get(url)
    if found is None:
        found = connections[url] = redis.ConnectionPool.from_url(url, **_TIMEOUTS).make_connection()
    return found


def _round_trip(commands):
    """Every reply to `commands`, sent together on this thread's connection; an error reply is returned.

    A connection found broken (Redis restarted) is reopened once before the error is raised.
    """
    connection = _connection(settings.REDIS_URL)
    packed = connection.pack_commands(commands)
    for attempt in (1, 2):
        try:
            connection.send_packed_command(packed)
            replies = []
            for _ in commands:
                try:
                    replies.append(connection.read_response())
                except redis.ResponseError as error:
                    replies.append(error)
            return replies
        except redis.ConnectionError:
            connection.disconnect()
            if attempt == 2:
                raise


def mark_redis_down(error):
    global _redis_down_until
    _redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
    logger.warning("Redis unavailable, counting in the database: %s", error)


def key(*parts):
    return ":".join([settings.LIVE_KEY_PREFIX, *map(str, parts)])


@lru_cache(maxsize=8)
def _rate(rate):
    """A rate such as ENGAGEMENT_COUNT_RATE ("120/m") as (count, seconds)."""
    count, period = rate.split("/")
    number, unit = re.fullmatch(r"(\d*)([smhd])", period).groups()
    return int(count), int(number or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def _address(request):
    return request.META.get("REMOTE_ADDR", "") or "-"


def _run_in_redis(request, visitor_id, article_id, count_view, page_key, now):
    """The Lua call: a Live, False for a page-cache miss, None when Redis is unavailable."""
    found = redis_client()
    if found is None:
        return None
    client, live_script, seed_script = found
    limit, period = _rate(settings.ENGAGEMENT_COUNT_RATE)
    rated = has_rated(request)
    day = local_day(now).isoformat()
    keys = [key(PAGE_VERSION), key("page", page_key) if page_key else ""]
    args = [
        settings.LIVE_KEY_PREFIX,
        visitor_id or "",
        now.timestamp(),
        VISIT_WINDOW.total_seconds(),
        ONLINE_WINDOW.total_seconds(),
        int(VISIT_WINDOW.total_seconds()) + 60,
        article_id or "",
        "1" if count_view else "0",
        day,
        _address(request),
        limit,
        period,
        "1" if rated else "0",
        settings.LIVE_FLUSH_MS,
    ]
    # The page's HTML comes in the same round trip, read by Redis straight into the reply.
    commands = [("EVALSHA", live_script.sha, len(keys), *keys, *args)]
    if page_key:
        commands.append(("HGET", keys[1], "html"))
    try:
        replies = _round_trip(commands)
        if isinstance(replies[0], redis.exceptions.NoScriptError):  # Redis restarted: load it again
            client.script_load(_LIVE)
            replies = _round_trip(commands)
        for reply in replies:
            if isinstance(reply, redis.RedisError):
                raise reply
    except redis.RedisError as error:
        mark_redis_down(error)
        return None
    result = replies[0]
    if result[0] == 0 or (page_key and not replies[1]):  # a miss, or the entry expired in between
        return False
    _, article, visit, view, limited, online, values, flush, generation = result
    live = Live(visit_started=bool(visit), view_started=bool(view), limited=bool(limited))
    if live.limited:
        return live
    live.html = replies[1].decode() if page_key else ""
    article_id = int(article) if article else None
    names = ["visits", "offset", f"day:{day}"]
    if article_id:
        names += [f"views:{article_id}", f"rsum:{article_id}", f"rcnt:{article_id}"]
        if visitor_id and rated:
            names.append(f"own:{article_id}:{visitor_id}")
    mirrors = dict(zip(names, values, strict=True))
    if any(value == b"" for value in mirrors.values()):
        fresh = read_numbers(visitor_id, article_id, now, online=int(online))
        mirrors.update(_seed(seed_script, mirrors, fresh, day, article_id, visitor_id, generation))
    own = int(mirrors.get(f"own:{article_id}:{visitor_id}", 0))
    live.numbers = {
        "visits-total": int(mirrors["visits"]) + int(mirrors["offset"]),
        "visits-today": int(mirrors[f"day:{day}"]),
        "visits-online": int(online),
        "article": article_id,
    }
    if article_id:
        live.numbers.update(
            views=int(mirrors[f"views:{article_id}"]),
            score_sum=int(mirrors[f"rsum:{article_id}"]),
            votes=int(mirrors[f"rcnt:{article_id}"]),
            own=own,
        )
    if flush:  # after the figures: a seed compares the flush generation read above
        flush_pending()
    return live


def _seed(seed_script, mirrors, fresh, day, article_id, visitor_id, generation):
    """Seed the missing mirrors from `fresh` (the database) plus what is pending; their values now."""
    values = {
        "visits": fresh["visits-sum"],
        "offset": fresh["visits-offset"],
        f"day:{day}": fresh["visits-today"],
    }
    if article_id:
        values.update(
            {
                f"views:{article_id}": fresh["views"],
                f"rsum:{article_id}": fresh["score_sum"],
                f"rcnt:{article_id}": fresh["votes"],
                f"own:{article_id}:{visitor_id}": fresh["own"],
            }
        )
    missing = [name for name, value in mirrors.items() if value == b""]
    keys = [key("pending"), key("flushgen"), *(k for name in missing for k in (key("n", name), key("dirty", name)))]
    try:
        pending = seed_script(
            keys=keys, args=[*missing, *(values[name] for name in missing), MIRROR_SECONDS, generation]
        )
    except redis.RedisError as error:
        mark_redis_down(error)
        pending = [0] * len(missing)
    return {name: values[name] + int(n) for name, n in zip(missing, pending, strict=True)}


def forget(*names):
    """Drop mirrors after the database changed them outside a counted request (ratings, admin)."""
    found = redis_client()
    if found is None:
        return
    client = found[0]
    try:
        with client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.delete(key("n", name))
                pipe.set(key("dirty", name), 1, px=settings.LIVE_DIRTY_MS)
            pipe.execute()
    except redis.RedisError as error:
        mark_redis_down(error)


def forget_all():
    """Drop every mirror (after bulk changes such as demo data)."""
    found = redis_client()
    if found is None:
        return
    client = found[0]
    try:
        for name in client.scan_iter(match=key("n", "*"), count=1000):
            client.delete(name)
    except redis.RedisError as error:
        mark_redis_down(error)


def _seen_in_database(visitor_id, article_id, count_view, now):
    """One upsert: a row per visitor and per (article, visitor); `fresh` says a window started."""
    if not visitor_id:
        return Live()
    table = connection.ops.quote_name(Presence._meta.db_table)
    rows = [f"v:{visitor_id}"]
    if article_id and count_view:
        rows.append(f"a:{article_id}:{visitor_id}")
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    params = [value for ident in rows for value in (ident, now, True)]
    # Both databases evaluate SET against the old row: `fresh` compares the previous request.
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
    return Live(
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


def flush_pending():
    """Write the visits and views counted in Redis since the last flush to the database.

    Requests call it at most once per LIVE_FLUSH_MS (a lock in Redis, shared by every machine);
    `manage.py flush_counters` calls it by hand. If the database refuses, the counts go back to
    Redis for the next flush: none is lost or written twice.
    """
    found = redis_client()
    if found is None:
        return {}
    take, settle = _flush_scripts[settings.REDIS_URL]
    settle_keys = [key("flush-lock"), key("flushgen"), key("pending")]
    try:
        items = take(keys=[key("pending"), key("flush-lock"), key("flushgen")])
    except redis.RedisError as error:
        mark_redis_down(error)
        return {}
    if items is None:  # another flush is on its way
        return {}
    counts = {name.decode(): int(value) for name, value in zip(items[::2], items[1::2], strict=True)}
    visits = {date.fromisoformat(name[4:]): n for name, n in counts.items() if name.startswith("day:")}
    views = {int(name[6:]): n for name, n in counts.items() if name.startswith("views:")}
    written = counts
    try:
        _add_counts(visits, views)
    except Exception:
        logger.exception("Counts not written, kept in Redis for the next flush")
        written = {}
    try:
        settle(keys=settle_keys, args=[] if written else [item for pair in counts.items() for item in pair])
    except redis.RedisError as error:
        mark_redis_down(error)
        if not written:
            logger.error("Counts lost: neither the database nor Redis took them back: %s", counts)
    return written


def _add_counts(visits, views):
    """The database adds `visits` ({day: n}) and `views` ({article id: n}): one statement per table."""
    statements = []
    if connection.vendor == "postgresql":
        # A counter increment need not wait for the disk: a crash may lose the last fraction of a
        # second of views, never corrupt them. This transaction only: feedback keeps full durability.
        statements.append(("SET LOCAL synchronous_commit TO OFF", []))
    if visits:
        table = _q(DailyVisits)
        rows = sorted(visits.items())
        statements.append(
            (
                f"INSERT INTO {table} (day, visits) VALUES {', '.join(['(%s, %s)'] * len(rows))} "
                f"ON CONFLICT (day) DO UPDATE SET visits = {table}.visits + excluded.visits",
                [value for row in rows for value in row],
            )
        )
    if views:
        table = _q(Article)
        rows = sorted(views.items())  # rows locked in id order: concurrent writers wait, never deadlock
        statements.append(
            (
                f"WITH counted (id, n) AS (VALUES {', '.join(['(%s, %s)'] * len(rows))}) "
                f"UPDATE {table} SET view_count = view_count + counted.n FROM counted WHERE {table}.id = counted.id",
                [value for row in rows for value in row],
            )
        )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("; ".join(sql for sql, _ in statements), [p for _, ps in statements for p in ps])
        else:  # SQLite runs one statement per call
            for sql, statement_params in statements:
                cursor.execute(sql, statement_params)


def _q(model):
    return connection.ops.quote_name(model._meta.db_table)


def read_numbers(visitor_id, article_id, now, online=None):
    """Every figure a page can show, from the database, in one query."""
    parts = [
        f"(SELECT COALESCE(SUM(visits), 0) FROM {_q(DailyVisits)})",
        f"(SELECT COALESCE(MAX(starting_total), 0) FROM {_q(VisitCounter)})",
        f"(SELECT COALESCE(MAX(visits), 0) FROM {_q(DailyVisits)} WHERE day = %s)",
    ]
    params = [local_day(now)]
    if online is None:
        parts.append(f"(SELECT COUNT(*) FROM {_q(Presence)} WHERE ident LIKE %s AND last_seen > %s)")
        params += ["v:%", now - ONLINE_WINDOW]
    if article_id:
        parts += [
            f"(SELECT view_count FROM {_q(Article)} WHERE id = %s)",
            f"(SELECT score_sum FROM {_q(RatingSummary)} WHERE article_id = %s)",
            f"(SELECT votes FROM {_q(RatingSummary)} WHERE article_id = %s)",
            f"(SELECT score FROM {_q(Rating)} WHERE article_id = %s AND visitor_id = %s)",
        ]
        params += [article_id, article_id, article_id, article_id, visitor_id or ""]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = list(cursor.fetchone())
    visits_sum, offset, today = row.pop(0), row.pop(0), row.pop(0)
    numbers = {
        "visits-sum": visits_sum,
        "visits-offset": offset,
        "visits-total": visits_sum + offset,
        "visits-today": today,
        "visits-online": online if online is not None else row.pop(0),
        "article": article_id,
    }
    if article_id:
        numbers.update(views=row[0] or 0, score_sum=row[1] or 0, votes=row[2] or 0, own=row[3] or 0)
    return numbers


def cached_page(request, page_key):
    """A page from the Redis page cache with this request counted and its figures; None on a miss."""
    visitor_id = getattr(request, "visitor_id", None) if request.method == "GET" else None
    live = _run_in_redis(request, visitor_id, None, False, page_key, timezone.now())
    return live or None


def record(request, article_id=None, count=True, count_view=True):
    """Count this request's visit and article view if they start now, and read the page's figures.

    Crawlers (request.visitor_id None) and `count=False` are never counted. `limited` means the
    address is starting too many visits or views: nothing was counted, the caller answers 429.
    """
    now = timezone.now()
    visitor_id = getattr(request, "visitor_id", None) if count else None
    live = _run_in_redis(request, visitor_id, article_id, count_view, None, now)
    if live is not None:
        return live
    live = _seen_in_database(visitor_id, article_id, count_view, now)
    if live.visit_started or live.view_started:
        if _over_limit(request):
            return Live(limited=True)
        _add_counts(
            {local_day(now): 1} if live.visit_started else {},
            {article_id: 1} if live.view_started else {},
        )
    live.numbers = read_numbers(getattr(request, "visitor_id", None), article_id, now)
    return live
