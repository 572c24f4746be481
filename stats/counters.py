"""Visits, online visitors and article views: counted exactly once, shown live (docs/engagement.md).

The counts live in the database (`DailyVisits`, and the views of whatever app registered a view
store, see `stats.figures`), always incremented by the database (`visits + n`), so requests on
several processes or machines never lose or double an increment.

With Redis (COUNTERS_REDIS_URL), one Lua call per request does everything else: it finds the
cached page (when the page cache shares that server), decides whether this request starts a visit
or a view (the visitor's previous request, or previous view of the article, 30 minutes ago or more),
keeps the "online" set and returns every figure from Redis mirrors of the database counts. A
counted visit or view goes to its mirror and to a `pending` hash in that same call; a background
thread (`stats.flusher`, started with the WSGI application) moves the pending sums to the database
about once a second, whatever the traffic, without delaying any reader.

Exactly once, whatever Redis does:
- every call carries a request id; a call that counted leaves a `done` mark, so a call sent again
  (its answer was lost: a timeout, a restart) counts nothing the second time;
- a call whose answer is lost twice is kept in the database (`DeferredCount`) and sent again by the
  flusher once Redis answers; the request itself counts nothing in the database meanwhile;
- a call that never reached Redis (refused, down) counts in the database instead;
- a flush renames `pending` to `flushing` under a lock only its owner releases, writes the sums with
  its flush id in one transaction (`FlushRecord`), then drops `flushing`: a flush interrupted at any
  step is finished by the next one, and never applied twice.

Over ENGAGEMENT_COUNT_RATE new visits or views per address, counting stops; the page is served all
the same (reading is never refused).
"""

import ipaddress
import json
import logging
import re
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from portal import redis as shared_redis
from portal import units
from portal.limits import over_limit
from portal.live import Live
from portal.pagecache import take_page_stores, version_key
from portal.visitors import has_rated

from . import figures
from .figures import local_day
from .models import DailyVisits, DeferredCount, FlushRecord, Presence

logger = logging.getLogger(__name__)

# One 30-minute window ends both a visit and a repeat view, so one upsert or one Lua call decides both.
VISIT_WINDOW = timedelta(minutes=30)
ONLINE_WINDOW = timedelta(minutes=5)
PRUNE_EVERY_SECONDS = 60
MIRROR_SECONDS = 600
DONE_SECONDS = 86400
COUNTERS = shared_redis.COUNTERS
key = shared_redis.key

# KEYS: the page version, the page's entry (or ''). ARGV: see `_live_args`; ARGV[15] is the unit
# (visits, "online" and the visit windows are per unit); from ARGV[16] on, the mirrors to read, "{a}"
# standing for the article (known only here when the page comes from cache), each as "name" or
# "name=value": a value the page's own query read from the database, which seeds a missing mirror
# under the rule of _SEED (below) and saves the reader a query and a round trip; with such values,
# the last argument is "=<flush generation>:<epoch>" as the page-cache miss saw them before that query.
# A page-cache miss returns {0, the content version (false when there is none), "<generation>:<epoch>"}.
_LIVE = """
local p = ARGV[1]
local article, count_view = ARGV[7], ARGV[8] == '1'
if KEYS[2] ~= '' then
  -- A miss gives the content version, which the page is then rendered and kept under, and the
  -- flush generation and epoch before the page reads its figures from the database.
  local entry, version = redis.call('HMGET', KEYS[2], 'v', 'e', 'a'), redis.call('GET', KEYS[1])
  local state = (redis.call('GET', p .. ':flushgen') or '0') .. ':' .. (redis.call('GET', p .. ':epoch') or '0')
  if (not entry[1]) or entry[1] ~= version then return {0, version, state} end
  if tonumber(entry[2]) <= tonumber(ARGV[3]) then return {0, version, state} end
  article = entry[3]
  count_view = article ~= ''
end
local now, visitor, rid, unit = tonumber(ARGV[3]), ARGV[2], ARGV[12], ARGV[15]
local online_key = p .. ':online:' .. unit
local epoch = redis.call('GET', p .. ':epoch') or '0'
local mirror = p .. ':n:' .. epoch .. ':'
-- 1: a window starts now; 0: it goes on; -1: this call is older than the last one seen (a replay).
local function starts(last)
  if last and tonumber(last) >= now then return -1 end
  if (not last) or (now - tonumber(last) >= tonumber(ARGV[4])) then return 1 end
  return 0
end
local function bump(name)
  redis.call('HINCRBY', p .. ':pending', name, 1)
  if redis.call('EXISTS', mirror .. name) == 1 then redis.call('INCR', mirror .. name) end
end
local visit, view, limited = 0, 0, 0
local done = rid ~= '' and redis.call('EXISTS', p .. ':done:' .. rid) == 1
if visitor ~= '' and not done then
  local seen_key = p .. ':seen:' .. unit .. ':' .. visitor
  local view_key = (article ~= '' and count_view) and (p .. ':view:' .. article .. ':' .. visitor) or nil
  visit = starts(redis.call('GET', seen_key))
  if view_key then view = starts(redis.call('GET', view_key)) end
  if visit == 1 or view == 1 then
    local period = tonumber(ARGV[11])
    local rl = p .. ':rl:' .. ARGV[9] .. ':' .. math.floor(now / period)
    local n = redis.call('INCR', rl)
    if n == 1 then redis.call('EXPIRE', rl, period * 2) end
    if n > tonumber(ARGV[10]) then limited = 1 end
  end
  -- Over the limit, what would have started is not recorded either: a flood of made-up visitors
  -- from one address neither counts nor fills Redis nor the "online" figure.
  if visit >= 0 and not (limited == 1 and visit == 1) then
    redis.call('SET', seen_key, ARGV[3], 'EX', ARGV[6])
    redis.call('ZADD', online_key, 'GT', now, visitor)
  end
  if view_key and view >= 0 and not (limited == 1 and view == 1) then
    redis.call('SET', view_key, ARGV[3], 'EX', ARGV[6])
  end
  if limited == 1 then
    visit, view = 0, 0
  else
    if visit == 1 then bump('visits:' .. unit); bump('day:' .. unit .. ':' .. ARGV[13]) end
    if view == 1 then bump('views:' .. article) end
    if (visit == 1 or view == 1) and rid ~= '' then redis.call('SET', p .. ':done:' .. rid, 1, 'EX', ARGV[14]) end
  end
  if visit < 0 then visit = 0 end
  if view < 0 then view = 0 end
end
redis.call('ZREMRANGEBYSCORE', online_key, '-inf', now - tonumber(ARGV[5]))
local generation = redis.call('GET', p .. ':flushgen') or '0'
-- Seeds were read after the miss saw "<generation>:<epoch>" (the last argument, after '='): taken
-- only if no flush and no forget_all came since.
local last, seen = #ARGV, nil
if last >= 16 and string.sub(ARGV[last], 1, 1) == '=' then seen, last = string.sub(ARGV[last], 2), last - 1 end
local settled = seen == generation .. ':' .. epoch and tonumber(generation) % 2 == 0
local values = {}
for i = 16, last do
  local template, seed = string.match(ARGV[i], '^([^=]*)=?(.*)$')
  if article == '' and string.find(template, '{a}', 1, true) then
    values[#values + 1] = '-'
  else
    local name = string.gsub(template, '{a}', article)
    local value = redis.call('GET', mirror .. name)
    if (not value) and seed ~= '' and settled and redis.call('EXISTS', p .. ':dirty:' .. name) == 0 then
      value = tonumber(seed) + tonumber(redis.call('HGET', p .. ':pending', name) or '0')
      redis.call('SET', mirror .. name, value, 'EX', MIRROR_SECONDS)
    end
    values[#values + 1] = value or ''
  end
end
local online = redis.call('ZCARD', online_key)
return {1, article, visit, view, limited, online, values, generation, epoch}
""".replace("MIRROR_SECONDS", str(MIRROR_SECONDS))

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

# KEYS: pending, flushing, flush id, lock, generation. ARGV: the lock token, a new flush id, the
# lock's life (ms). Returns false (another flush holds the lock), {} (nothing to write, lock freed)
# or {flush id, the counts, 1 if they are those of an earlier flush that did not finish, else 0}.
_TAKE = """
if not redis.call('SET', KEYS[4], ARGV[1], 'NX', 'PX', ARGV[3]) then return false end
local id, leftover = redis.call('GET', KEYS[3]), 1
if (not id) or redis.call('EXISTS', KEYS[2]) == 0 then
  leftover = 0
  if redis.call('EXISTS', KEYS[1]) == 0 then
    redis.call('DEL', KEYS[4])
    return {}
  end
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SET', KEYS[3], ARGV[2])
  id = ARGV[2]
  local generation = tonumber(redis.call('GET', KEYS[5]) or '0')
  if generation % 2 == 1 then redis.call('INCR', KEYS[5]) end
  redis.call('INCR', KEYS[5])
end
return {id, redis.call('HGETALL', KEYS[2]), leftover}
"""
# KEYS: flushing, flush id, lock, generation. ARGV: the lock token, the flush id that the database
# has ('' when it refused). Drops what was written and frees the lock, only if still its owner's.
_SETTLE = """
if ARGV[2] ~= '' and redis.call('GET', KEYS[2]) == ARGV[2] then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('INCR', KEYS[4])
end
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
"""
# A flush takes milliseconds; a lock whose owner lost its answer frees itself soon. Two flushes at once
# would still be safe (the flush id is written once), the lock only saves the work.
FLUSH_LOCK_MS = 5_000


@lru_cache(maxsize=8)
def _rate(rate):
    """A rate such as ENGAGEMENT_COUNT_RATE ("120/m") as (count, seconds)."""
    count, period = rate.split("/")
    number, unit = re.fullmatch(r"(\d*)([smhd])", period).groups()
    return int(count), int(number or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


@lru_cache(maxsize=4096)
def _network(address):
    """An IPv4 address, or the /64 an IPv6 address is in (one subscriber's line, as django-ratelimit counts)."""
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return address or "-"
    if found.version == 6:
        return str(ipaddress.ip_network(f"{found}/64", strict=False).network_address)
    return address


def _address(request):
    return _network(request.META.get("REMOTE_ADDR", ""))


def _live_args(request, visitor_id, article_id, count_view, now, rid, templates):
    limit, period = _rate(settings.ENGAGEMENT_COUNT_RATE)
    return [
        settings.LIVE_KEY_PREFIX,
        visitor_id or "",
        now.timestamp(),
        VISIT_WINDOW.total_seconds(),
        ONLINE_WINDOW.total_seconds(),
        int(VISIT_WINDOW.total_seconds()) + 60,
        article_id or "",
        "1" if count_view else "0",
        _address(request),
        limit,
        period,
        rid,
        local_day(now).isoformat(),
        DONE_SECONDS,
        units.owner_id(),
        *templates,
    ]


def _evalsha(source, keys, args):
    return ("EVALSHA", shared_redis.script(COUNTERS, source).sha, len(keys), *keys, *args)


def _call(commands, stores=()):
    """`commands` on the counters' Redis, loading the script again after a restart; `stores` (pages
    to keep, on the same server) travel with them and their errors are only logged."""
    replies = shared_redis.round_trip(COUNTERS, [*commands, *stores])
    if isinstance(replies[0], redis.exceptions.NoScriptError):
        shared_redis.client(COUNTERS).script_load(_LIVE)
        replies = shared_redis.round_trip(COUNTERS, [*commands, *stores])
    replies, stored = replies[: len(commands)], replies[len(commands) :]
    for reply in replies:
        if isinstance(reply, redis.RedisError):
            raise reply
    for reply in stored:
        if isinstance(reply, redis.RedisError):
            logger.warning("A page was not kept: %s", reply)
    return replies


def _offered(request, article_id, templates):
    """The mirror names to read, each with the value the page's own query read for it ("name=value",
    stats.figures.offer) and the state the page-cache miss saw before that query, when there is one.

    Values read longer ago than half of LIVE_DIRTY_MS are not offered: a rating saved since then
    would have let its mark against seeding (`forget`) expire, and the reader reads them again."""
    offered, seen = getattr(request, "figures_read", None), getattr(request, "live_state", None)
    if offered is None or seen is None or offered[0] != article_id:
        return templates
    _, values, read_at = offered
    if time.monotonic() - read_at > settings.LIVE_DIRTY_MS / 2000 or any("=" in name for name in templates):
        return templates
    seen = seen.decode() if isinstance(seen, bytes) else seen
    names = [f"{name}={int(values[name])}" if name in values else name for name in templates]
    return [*names, f"={seen}"]


def _without_seeds(args):
    """A counting call to send again later: what its page read then is no seed by then."""
    return [*args[:15], *(str(arg).split("=")[0] for arg in args[15:] if not str(arg).startswith("="))]


def _defer(request, keys, args):
    """Keep a counting call Redis did not answer, for the flusher to send again (it counts once)."""
    request.live_counted = True  # never counted by the database too
    args = _without_seeds(args)
    payload = {"keys": keys, "args": args, "new": bool(getattr(request, "is_new_visitor", False))}
    try:
        DeferredCount.objects.create(rid=args[11], payload=json.dumps(payload))
    except Exception:
        logger.exception("A counting call could not be kept: at most one visit and one view lost")


def _run_in_redis(request, visitor_id, article_id, count_view, page_key, now, asked_key=None):
    """The Lua call: a Live, False for a page-cache miss, None when Redis did not answer.

    While COUNTERS_REDIS_URL is set, Redis alone decides visits and views: a request it cannot
    count now (down, refused, in doubt) is kept to be sent again, never counted by the database,
    which knows nothing of the windows Redis keeps.
    """
    if not shared_redis.url(COUNTERS):
        return None
    rid = uuid.uuid4().hex if visitor_id else ""
    rated = has_rated(request)
    templates = figures.mirror_templates(visitor_id, rated, local_day(now))
    html = None
    keys = [version_key(), ""]
    if page_key and not shared_redis.same_server():
        found = _cached_entry(request, page_key, now, asked_key)
        if found is None:
            return False
        html, article = found
        article_id, count_view = (int(article), True) if article else (None, False)
    elif page_key:
        keys[1] = key("page", page_key)
    names = templates if page_key else _offered(request, article_id, templates)
    args = _live_args(request, visitor_id, article_id, count_view, now, rid, names)
    if not shared_redis.available(COUNTERS):
        if visitor_id and not page_key:
            _defer(request, keys, args)
        return None
    commands = [_evalsha(_LIVE, keys, args)]
    if keys[1]:  # the page's HTML in the same round trip, read by Redis straight into the reply
        commands.append(("HGET", keys[1], "html"))
    if keys[1] and asked_key:  # and whether a page kept only when asked again was asked before
        commands.append(("EXISTS", asked_key))
    # A page just rendered is stored in this same round trip (portal.pagecache.store_later).
    stores = take_page_stores(request) if shared_redis.same_server() else []
    try:
        replies = _call(commands, stores)
    except redis.RedisError as error:
        shared_redis.mark_down(COUNTERS, error)
        # In doubt (it may have run) or not sent: the flusher sends it again, and it counts once.
        # A page-cache lookup that was not sent leaves the counting to the page's own call.
        if visitor_id and (isinstance(error, shared_redis.InDoubt) or not page_key):
            _defer(request, keys, args)
        return None
    if keys[1] and asked_key:
        request.page_cache_asked = bool(replies[2])
    result = replies[0]
    if result[0] == 0 or (keys[1] and not replies[1]):  # a miss, or the entry expired in between
        if result[0] == 0 and len(result) > 1:
            request.page_cache_version = result[1]
            request.live_state = result[2] if len(result) > 2 else None
        return False
    _, article, visit, view, limited, online, values, generation, epoch = result
    request.live_counted = True
    live = Live(visit_started=bool(visit), view_started=bool(view), limited=bool(limited))
    if keys[1]:
        html = replies[1]
    live.html = html.decode() if html else ""
    article_id = int(article) if article else None
    mirrors = {
        template: value for template, value in zip(templates, values, strict=True) if value != b"-" and value != "-"
    }
    if any(value == b"" for value in mirrors.values()):
        fresh = read_values(visitor_id, article_id, now)
        mirrors.update(_seed(mirrors, fresh, article_id, generation, epoch))
    values = {template: int(value) for template, value in mirrors.items()}
    live.numbers = figures.numbers(values, article_id, now, online=int(online))
    return live


def _cached_entry(request, page_key, now, asked_key=None):
    """(HTML, article id) of a valid page-cache entry on the page cache's own server, or None; with
    `asked_key`, `request.page_cache_asked` says whether it exists (same round trip)."""
    commands = [("HMGET", key("page", page_key), "v", "e", "a", "html"), ("GET", version_key())]
    if asked_key:
        commands.append(("EXISTS", asked_key))
    try:
        (version, expires, article, html), current, *asked = shared_redis.round_trip(shared_redis.CACHE, commands)
    except redis.RedisError as error:
        shared_redis.mark_down(shared_redis.CACHE, error)
        return None
    if asked and not isinstance(asked[0], redis.RedisError):
        request.page_cache_asked = bool(asked[0])
    if version is None or version != current or float(expires) <= now.timestamp() or html is None:
        return None
    return html, article.decode()


def _seed(mirrors, fresh, article_id, generation, epoch):
    """Seed the missing mirrors from `fresh` (the database) plus what is pending; their values now."""
    missing = [template for template, value in mirrors.items() if value == b""]
    names = [template.replace("{a}", str(article_id)) for template in missing]
    prefix = f"n:{epoch.decode() if isinstance(epoch, bytes) else epoch}"
    keys = [key("pending"), key("flushgen"), *(k for name in names for k in (key(prefix, name), key("dirty", name)))]
    try:
        pending = shared_redis.script(COUNTERS, _SEED)(
            keys=keys,
            args=[*names, *(fresh[template] for template in missing), MIRROR_SECONDS, generation],
        )
    except redis.RedisError as error:
        shared_redis.mark_down(COUNTERS, error)
        pending = [0] * len(missing)
    return {template: fresh[template] + int(n) for template, n in zip(missing, pending, strict=True)}


def _epoch(client):
    return (client.get(key("epoch")) or b"0").decode()


def forget(*names):
    """Drop mirrors after the database changed them outside a counted request (ratings, admin)."""
    client = shared_redis.client(COUNTERS)
    if client is None:
        return
    try:
        epoch = _epoch(client)
        with client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.delete(key("n", epoch, name))
                pipe.set(key("dirty", name), 1, px=settings.LIVE_DIRTY_MS)
            pipe.execute()
    except redis.RedisError as error:
        shared_redis.mark_down(COUNTERS, error)


def forget_all():
    """Make every mirror stale at once (after bulk changes, or counts made while Redis was down)."""
    client = shared_redis.client(COUNTERS)
    if client is None:
        return
    try:
        client.incr(key("epoch"))
    except redis.RedisError as error:
        shared_redis.mark_down(COUNTERS, error)


def _seen_in_database(visitor_id, article_id, count_view, now):
    """One upsert: a row per visitor and per (article, visitor); `fresh` says a window started."""
    if not visitor_id:
        return Live()
    table = connection.ops.quote_name(Presence._meta.db_table)
    rows = [f"v:{units.owner_id()}:{visitor_id}"]
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
        visit_started=fresh.get(rows[0], False),
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
    """Write the visits and views counted in Redis since the last flush to the database, once.

    The flusher thread calls it about once per LIVE_FLUSH_MS (a lock in Redis, shared by every
    machine, lets one flush run at a time); `manage.py flush_counters` calls it by hand. Returns the
    counts written ({} when none, or when the database refused: they stay in Redis for the next try).
    An earlier flush that did not finish is finished first, then what is pending is flushed too.
    """
    written = {}
    for _ in range(3):
        batch, leftover = _flush_one()
        for name, n in batch.items():
            written[name] = written.get(name, 0) + n
        if not leftover:
            break
    return written


def _flush_one():
    """(counts written, whether they were an unfinished earlier flush's)."""
    if not shared_redis.available(COUNTERS):
        return {}, False
    token = uuid.uuid4().hex
    take_keys = [key("pending"), key("flushing"), key("flush-id"), key("flush-lock"), key("flushgen")]
    settle_keys = [key("flushing"), key("flush-id"), key("flush-lock"), key("flushgen")]
    client = shared_redis.client(COUNTERS)
    if client is None:
        return {}, False
    try:
        before = client.info()
        taken = shared_redis.script(COUNTERS, _TAKE)(keys=take_keys, args=[token, uuid.uuid4().hex, FLUSH_LOCK_MS])
    except redis.RedisError as error:
        shared_redis.mark_down(COUNTERS, error)
        return {}, False
    if not taken:  # another flush holds the lock, or nothing is pending
        return {}, False
    flush_id, items, leftover = taken[0].decode(), taken[1], bool(taken[2])
    counts = {name.decode(): int(value) for name, value in zip(items[::2], items[1::2], strict=True)}
    if not leftover and before.get("aof_enabled") and not _taking_is_on_disk(client, before, flush_id):
        flush_id, written = "", {}  # Redis restarted meanwhile: what it kept is flushed by the next round
    else:
        try:
            written = counts if _apply_once(flush_id, counts) else {}
        except Exception:
            logger.exception("Counts not written, kept in Redis for the next flush")
            flush_id, written, leftover = "", {}, False
    try:
        shared_redis.script(COUNTERS, _SETTLE)(keys=settle_keys, args=[token, flush_id])
    except redis.RedisError as error:  # the next flush finds them applied and drops them
        shared_redis.mark_down(COUNTERS, error)
        leftover = False
    return written, leftover


def _taking_is_on_disk(client, before, flush_id):
    """Wait until the append-only file holds the taking of `flush_id`, and check Redis kept it.

    Were the database to get a flush whose taking a crash of Redis then undid (the last second of
    the append-only file lost), the same counts would come back as pending and be written twice.
    With `appendfsync everysec` the next fsync, within a second, covers the taking: the flusher
    thread (never a reader) waits LIVE_FLUSH_DURABLE_MS, longer while Redis reports fsyncs put off
    (a slow disk), then checks that the same Redis process still has the flush.
    """
    try:
        for _ in range(3):
            time.sleep(settings.LIVE_FLUSH_DURABLE_MS / 1000)
            now = client.info()
            delayed = now.get("aof_delayed_fsync", 0) > before.get("aof_delayed_fsync", 0)
            if not delayed and not now.get("aof_pending_bio_fsync"):
                break
            before = {**before, "aof_delayed_fsync": now.get("aof_delayed_fsync", 0)}
        else:
            return False
        same = now["run_id"] == before["run_id"]
        return same and client.get(key("flush-id")) == flush_id.encode()
    except redis.RedisError as error:
        shared_redis.mark_down(COUNTERS, error)
        return False


def _apply_once(flush_id, counts):
    """Add `counts` to the database with their flush id; False when that flush was written before."""
    visits = {}
    for name, n in counts.items():
        if name.startswith("day:"):
            unit, day = name[4:].split(":")
            visits[int(unit), date.fromisoformat(day)] = n
    views = {int(name[6:]): n for name, n in counts.items() if name.startswith("views:")}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A counter increment need not wait for the disk: a crash may lose the last fraction of a
            # second of views, never corrupt them. This transaction only: feedback keeps full durability.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        _, created = FlushRecord.objects.get_or_create(id=flush_id)
        if not created:
            return False
        _add_counts(visits, views)
    return True


def _add_counts(visits, views):
    """The database adds `visits` ({(unit id, day): n}) and `views` ({article id: n})."""
    with transaction.atomic():
        if visits:
            table = connection.ops.quote_name(DailyVisits._meta.db_table)
            rows = sorted(visits.items())  # rows locked in order: concurrent writers wait, never deadlock
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (unit_id, day, visits) VALUES {', '.join(['(%s, %s, %s)'] * len(rows))} "
                    f"ON CONFLICT (unit_id, day) DO UPDATE SET visits = {table}.visits + excluded.visits",
                    [value for (unit, day), n in rows for value in (unit, day, n)],
                )
        if views:
            figures.add_views(views)


def replay_deferred(limit=500):
    """Send again the counting calls Redis did not answer; each counts at most once. Returns how many.

    While Redis stays away longer than LIVE_OUTAGE_SECONDS, the calls kept that long are counted by
    the database instead (its own windows: a visitor may then count once more when Redis is back),
    so that the figures do not stand still through a long outage.
    """
    if not shared_redis.available(COUNTERS):
        return _count_kept_in_database(limit)
    if _counted_in_database.is_set():  # the mirrors do not have what the database counted
        _counted_in_database.clear()
        forget_all()
    oldest = timezone.now() - timedelta(seconds=DONE_SECONDS - 3600)
    stale = DeferredCount.objects.filter(created_at__lt=oldest).delete()[0]
    if stale:
        logger.error("%d counting calls waited longer than a day for Redis and were dropped", stale)
    sent = 0
    forgotten = time.time() - (VISIT_WINDOW.total_seconds() + 60)  # Redis no longer knows the last request
    for deferred in DeferredCount.objects.order_by("created_at")[:limit]:
        call = json.loads(deferred.payload)
        keys, args = call["keys"], call["args"]
        if float(args[2]) < forgotten and not call.get("new", True):
            # A returning visitor's request from before Redis forgot their last one: whether it
            # started a visit cannot be told any more, and counting it might count one twice.
            deferred.delete()
            continue
        try:
            result = _call([_evalsha(_LIVE, keys, args)])[0]
            if result[0] == 0 and keys[1]:  # the cached page has gone: count the visit at least
                _call([_evalsha(_LIVE, [keys[0], ""], args)])
        except redis.RedisError as error:
            shared_redis.mark_down(COUNTERS, error)
            break
        deferred.delete()
        sent += 1
    return sent


_counted_in_database = threading.Event()


def _count_kept_in_database(limit):
    moment = timezone.now() - timedelta(seconds=settings.LIVE_OUTAGE_SECONDS)
    counted = 0
    for deferred in DeferredCount.objects.filter(created_at__lt=moment).order_by("created_at")[:limit]:
        args = json.loads(deferred.payload)["args"]
        visitor_id, article_id, count_view = args[1], int(args[6]) if args[6] else None, args[7] == "1"
        now = datetime.fromtimestamp(float(args[2]), tz=UTC)
        unit = int(args[14])
        with transaction.atomic(), units.active(unit):
            live = _seen_in_database(visitor_id, article_id, count_view, now)
            if live.visit_started or live.view_started:
                _add_counts(
                    {(unit, local_day(now)): 1} if live.visit_started else {},
                    {article_id: 1} if live.view_started else {},
                )
            deferred.delete()
        counted += 1
    if counted:
        _counted_in_database.set()
    return counted


def read_values(visitor_id, article_id, now, online=False):
    """Every mirrored value a page can show, from the database, in one query ({template: value})."""
    parts = figures.value_queries(visitor_id, article_id, local_day(now))
    if online:
        table = connection.ops.quote_name(Presence._meta.db_table)
        parts.append(
            (
                "online",
                f"(SELECT COUNT(*) FROM {table} WHERE ident LIKE %s AND last_seen > %s)",
                [f"v:{units.owner_id()}:%", now - ONLINE_WINDOW],
            )
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(sql for _, sql, _ in parts), [p for _, _, ps in parts for p in ps])
        row = cursor.fetchone()
    return {template: value or 0 for (template, _, _), value in zip(parts, row, strict=True)}


def cached_page(request, page_key, asked_key=None):
    """A page from the Redis page cache with this request counted and its figures; None on a miss.
    With `asked_key`, `request.page_cache_asked` says whether that key exists (same round trip)."""
    visitor_id = getattr(request, "visitor_id", None) if request.method == "GET" else None
    live = _run_in_redis(request, visitor_id, None, False, page_key, timezone.now(), asked_key)
    return live or None


def record(request, article_id=None, count=True, count_view=True):
    """Count this request's visit and article view if they start now, and read the page's figures.

    Crawlers (request.visitor_id None) and `count=False` are never counted, and a request is counted
    once whatever asks. Over the engagement limit nothing is counted (`limited`), the page is served.
    """
    now = timezone.now()
    visitor_id = getattr(request, "visitor_id", None)
    counting = visitor_id if count and not getattr(request, "live_counted", False) else None
    live = _run_in_redis(request, counting, article_id, count_view, None, now)
    if live:
        return live
    if getattr(request, "live_counted", False):
        counting = None  # kept for Redis: the database counts nothing of it now
    live = _seen_in_database(counting, article_id, count_view, now)
    if live.visit_started or live.view_started:
        if _over_limit(request):
            live = Live(limited=True)
        else:
            _add_counts(
                {(units.owner_id(), local_day(now)): 1} if live.visit_started else {},
                {article_id: 1} if live.view_started else {},
            )
    request.live_counted = True
    values = read_values(visitor_id, article_id, now, online=True)
    live.numbers = figures.numbers(values, article_id, now, online=values.pop("online"))
    return live
