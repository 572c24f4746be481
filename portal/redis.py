"""Redis plumbing for the page cache and the counters: clients, one round trip, keys, health.

Two uses, each with its own setting: PAGE_CACHE_REDIS_URL (whole pages and Django's cache; may
evict, `allkeys-lru`) and COUNTERS_REDIS_URL (counts on their way to the database; never evicts,
`noeviction` with an append-only file). Both default to REDIS_URL. When both name the same server,
a cached page and its counting travel in one round trip.

A server that fails is left alone for REDIS_RETRY_SECONDS: callers then take their path without
Redis (rendering, counting in the database). `round_trip` tells a call that never reached Redis
(`NotSent`) from one whose answer was lost (`InDoubt`: it may have run), so that counting can stay
exactly once.
"""

import logging
import threading
import time

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

CACHE = "cache"
COUNTERS = "counters"
REDIS_RETRY_SECONDS = 5
TIMEOUTS = {"socket_connect_timeout": 0.3, "socket_timeout": 0.5}

_clients = {}
_scripts = {}
_down_until = {}
_local = threading.local()


class NotSent(redis.ConnectionError):
    """The commands never reached Redis: nothing ran."""


class InDoubt(redis.ConnectionError):
    """The commands were sent and no answer came: they may or may not have run."""


def url(purpose):
    return settings.PAGE_CACHE_REDIS_URL if purpose == CACHE else settings.COUNTERS_REDIS_URL


def same_server():
    """Whether the page cache and the counters live in one Redis (one round trip serves both)."""
    return url(CACHE) == url(COUNTERS)


def available(purpose):
    found = url(purpose)
    return bool(found) and time.monotonic() >= _down_until.get(found, 0.0)


def client(purpose):
    """A redis-py client for `purpose`, or None when not configured or recently down."""
    if not available(purpose):
        return None
    found = url(purpose)
    if found not in _clients:
        _clients[found] = redis.Redis.from_url(found, **TIMEOUTS)
    return _clients[found]


def script(purpose, source):
    """`source` registered as a Lua script on `purpose`'s server (its SHA is what calls send)."""
    found = url(purpose)
    if (found, source) not in _scripts:
        _scripts[found, source] = redis.Redis.from_url(found, **TIMEOUTS).register_script(source)
    return _scripts[found, source]


def mark_down(purpose, error):
    _down_until[url(purpose)] = time.monotonic() + REDIS_RETRY_SECONDS
    logger.warning("Redis (%s) unavailable: %s", purpose, error)


def reset():
    """Forget that any server was down (tests, and a process that was told Redis is back)."""
    _down_until.clear()


def key(*parts):
    return ":".join([settings.LIVE_KEY_PREFIX, *map(str, parts)])


def _connection(found):
    """This thread's own kept connection: no pool to lock and probe on every page."""
    connections = _local.__dict__.setdefault("connections", {})
    if found not in connections:
        connections[found] = redis.ConnectionPool.from_url(found, **TIMEOUTS).make_connection()
    return connections[found]


def round_trip(purpose, commands):
    """Every reply to `commands`, sent together on this thread's connection; error replies are returned.

    A call whose answer is lost is sent once more on a new connection (Redis restarted, or one slow
    reply): every caller's commands are safe to repeat. Raises NotSent or InDoubt when that fails.
    """
    connection = _connection(url(purpose))
    packed = connection.pack_commands(commands)
    doubt = False
    for attempt in (1, 2):
        try:
            connection.send_packed_command(packed, check_health=False)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            connection.disconnect()
            if attempt == 2:
                raise (InDoubt if doubt else NotSent)(str(error)) from error
            continue
        try:
            replies = []
            for _ in commands:
                try:
                    replies.append(connection.read_response())
                except redis.ResponseError as error:
                    replies.append(error)
            return replies
        except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
            connection.disconnect()
            doubt = True
            if attempt == 2:
                raise InDoubt(str(error)) from error


def healthy(purpose):
    """Whether `purpose`'s Redis answers a PING now (for /healthz and operators)."""
    found = client(purpose)
    if found is None:
        return False
    try:
        return bool(found.ping())
    except redis.RedisError:
        return False
