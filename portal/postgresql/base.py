"""Django's PostgreSQL backend, with a health check of a kept connection that sends no query.

With CONN_HEALTH_CHECKS Django runs `SELECT 1` on a reused connection before the first query of
every request, a round trip of its own on every page the page cache cannot answer. A connection
the server has ended (a restart, `pg_terminate_backend`, an idle timeout) is closed or has
something waiting to be read on its socket (the server's last message, then the end of the
stream), while a live connection between requests has nothing to read. So the socket is polled
first; only when something is waiting does the `SELECT 1` decide, as Django's check would.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        raw = self.connection
        if raw is None or getattr(raw, "closed", True):
            return False
        try:
            poller = select.poll()
            poller.register(raw.fileno(), select.POLLIN | select.POLLPRI)
            waiting = poller.poll(0)
        except (OSError, ValueError, AttributeError):
            waiting = True
        return True if not waiting else super().is_usable()
