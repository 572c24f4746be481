"""Django's cache on the page cache's Redis, failing fast while that Redis is known to be down.

django-redis waits its socket timeout on every call to a stalled server; the portal makes several
cache calls per page (site settings, menus, rate limits), so a stall would delay every reader by
seconds. With this backend a failed call marks the server down (portal.redis, the same mark the
page cache and the counters use) and, until it is tried again, every call returns at once as a
miss. Configured in settings when PAGE_CACHE_REDIS_URL is set.
"""

import logging
import sys

import redis
from django_redis.cache import RedisCache
from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted

from . import redis as shared_redis

logger = logging.getLogger(__name__)


class KnownDown(redis.ConnectionError):
    """Not sent: the server was marked down a moment ago."""


def _refuse_while_down():
    if not shared_redis.available(shared_redis.CACHE):
        raise ConnectionInterrupted(connection=None) from KnownDown("marked down")


class FailFastClient(DefaultClient):
    def get_client(self, *args, **kwargs):
        _refuse_while_down()
        return super().get_client(*args, **kwargs)

    def get_client_with_index(self, *args, **kwargs):
        _refuse_while_down()
        return super().get_client_with_index(*args, **kwargs)


class _MarkDown:
    """Stands in for django-redis's logger of ignored errors: a real error marks the server down."""

    def exception(self, message, *args, **kwargs):
        error = sys.exc_info()[1]
        cause = getattr(error, "__cause__", None)
        if isinstance(cause, KnownDown):
            return
        shared_redis.mark_down(shared_redis.CACHE, cause or error)


class PortalRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {**params.get("OPTIONS", {}), "CLIENT_CLASS": "portal.cache.FailFastClient"}
        super().__init__(server, {**params, "OPTIONS": options})
        self._ignore_exceptions = True
        self._log_ignored_exceptions = True
        self.logger = _MarkDown()
