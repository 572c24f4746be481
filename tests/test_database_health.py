"""The per-request check of a kept PostgreSQL connection (CONN_HEALTH_CHECKS) costs no round trip.

Django checks a reused connection with a `SELECT 1` before the first query of every request: on an
uncached page that is one more round trip to the server than the page's own queries. The portal's
backend looks at the connection's socket instead: a connection the server ended (a restart,
`pg_terminate_backend`, an idle timeout) has something to read or is closed, a live idle one has not.
tests/test_faults.py serves pages through real servers before and after every connection is cut.
"""

import time

import pytest
from django.db import connection, connections

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture
def second():
    """A connection of its own to the test database, as a worker keeps between requests."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no server connections")
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


class NoRoundTrip:
    def cursor(self, *args, **kwargs):
        raise AssertionError("the health check sent a query")

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __init__(self, real):
        self.real = real


def test_a_live_connection_is_found_usable_without_a_query(second):
    real = second.connection
    second.connection = NoRoundTrip(real)
    try:
        assert second.is_usable()
    finally:
        second.connection = real


def test_a_connection_the_server_ended_is_found_unusable(second):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [second.connection.info.backend_pid])
    deadline = time.monotonic() + 5
    while second.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not second.is_usable()
    second.close_if_unusable_or_obsolete()
    second.health_check_done = False
    second.close_if_health_check_failed()
    with second.cursor() as cursor:  # a new connection for the request's first query
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_connection_left_in_a_failed_transaction_is_found_unusable_as_by_django(second):
    """Nothing waits on its socket, yet every query fails until a rollback: Django's `SELECT 1` finds
    it unusable (a request that ended with an error, then `close_if_unusable_or_obsolete`), and so
    must the check that polls first."""
    raw = second.connection
    with raw.cursor() as cursor:
        cursor.execute("BEGIN")
        with pytest.raises(second.Database.Error):
            cursor.execute("SELECT 1/0")  # the transaction is now aborted
    assert not second.is_usable()
    second.errors_occurred = True
    second.close_if_unusable_or_obsolete()
    assert second.connection is None


def test_a_connection_in_an_open_transaction_stays_usable_as_by_django(second):
    raw = second.connection
    with raw.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("SELECT 1")
    assert second.is_usable()


def test_kept_connections_ask_the_kernel_to_notice_a_vanished_server(second):
    """A server gone without closing the connection is found by TCP keepalives while it is quiet."""
    parameters = second.connection.info.dsn_parameters
    assert parameters.get("keepalives") == "1"
    assert (
        int(parameters["keepalives_idle"])
        + int(parameters["keepalives_interval"]) * int(parameters["keepalives_count"])
        < second.settings_dict["CONN_MAX_AGE"]
    )
