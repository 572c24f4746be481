"""The background thread that moves counts from Redis to the database, never in a reader's request.

Started once per process by the WSGI application (gunicorn workers, `manage.py runserver`) when
COUNTERS_REDIS_URL is set. Every LIVE_FLUSH_MS it flushes what is pending (one flush at a time over
all processes and machines: a lock in Redis) and sends again the counting calls whose answer was
lost. A quiet site gets its counts into the database within a couple of seconds too.
"""

import logging
import os
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from . import counters
from .models import FlushRecord

logger = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 600
KEEP_FLUSH_RECORDS_SECONDS = 86400

_started = {}
_lock = threading.Lock()


def run_once():
    """One round: flush, send deferred calls again; what the thread does every interval."""
    written = counters.flush_pending()
    counters.replay_deferred()
    return written


def prune(now=None):
    moment = (now or timezone.now()) - timedelta(seconds=KEEP_FLUSH_RECORDS_SECONDS)
    FlushRecord.objects.filter(created_at__lt=moment).delete()


def _loop():
    pruned = 0.0
    while True:
        time.sleep(settings.LIVE_FLUSH_MS / 1000)
        close_old_connections()
        try:
            run_once()
            if time.monotonic() - pruned > PRUNE_EVERY_SECONDS:
                prune()
                pruned = time.monotonic()
        except Exception:
            logger.exception("Counts flush failed; trying again next interval")
        finally:
            close_old_connections()


def start():
    """Start this process's flusher thread (once; after a fork, the child starts its own)."""
    if not settings.COUNTERS_REDIS_URL:
        return None
    with _lock:
        pid = os.getpid()
        if pid not in _started:
            _started[pid] = threading.Thread(target=_loop, name="stats-flusher", daemon=True)
            _started[pid].start()
        return _started[pid]
