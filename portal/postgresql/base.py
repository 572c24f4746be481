"""Django's PostgreSQL backend, with a health check of a kept connection that sends no query.

With CONN_HEALTH_CHECKS Django runs `SELECT 1` on a reused connection before the first query of
every request, a round trip of its own on every page the page cache cannot answer. A connection
the server has ended (a restart, `pg_terminate_backend`, an idle timeout) is closed or has
something waiting to be read on its socket (the server's last message, then the end of the
stream), while a live connection between requests has nothing to read. So the socket is polled
first; only when something is waiting does the `SELECT 1` decide, as Django's check would. So does
it when the connection is not idle between transactions (a transaction left aborted fails every
query, which only the query shows; the client library knows the state without asking the server).
"""

import select

from django.db.backends.postgresql import base

IDLE = 0  # the client library's transaction status between transactions (PQTRANS_IDLE)


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        raw = self.connection
        if raw is None or getattr(raw, "closed", True):
            return False
        try:
            idle = raw.info.transaction_status == IDLE
            poller = select.poll()
            poller.register(raw.fileno(), select.POLLIN | select.POLLPRI)
            quiet = idle and not poller.poll(0)
        except (OSError, ValueError, AttributeError):
            quiet = False
        return True if quiet else super().is_usable()
