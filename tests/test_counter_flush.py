"""With Redis, counted visits and views reach the database in batches (stats.counters.flush_pending)."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article
from portal import redis as shared_redis
from stats import counters, flusher
from stats.models import DailyVisits
from tests.factories import first_unit, make_article

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("counter_store", ["redis"], indirect=True)]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


def views_shown(article):
    html = Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url()).content.decode()
    return int(html.split('<span class="article__views">')[1].split(" lượt xem")[0].replace(".", ""))


def stored_views(article):
    return Article.objects.get(pk=article.pk).view_count


def total_visits():
    return sum(DailyVisits.objects.values_list("visits", flat=True))


def test_many_new_views_make_one_database_write(counter_store, settings):
    """Ten new readers within the flush interval: every page shows the exact count, no reader's
    request writes to the database, and one flush writes all ten with one statement per table."""
    settings.LIVE_FLUSH_MS = 60_000
    article = make_article()
    assert [views_shown(article) for _ in range(10)] == list(range(1, 11))
    assert (stored_views(article), total_visits()) == (0, 0)
    with CaptureQueriesContext(connection) as queries:
        call_command("flush_counters", stdout=io.StringIO())
    tables = [DailyVisits._meta.db_table, Article._meta.db_table]
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "WITH"))]
    assert (stored_views(article), total_visits()) == (10, 10)
    assert [sum(table in sql for sql in writes) for table in tables] == [1, 1]


def test_the_flusher_round_writes_what_is_pending(counter_store, settings):
    """What the background thread does each interval: pending counts reach the database."""
    settings.LIVE_FLUSH_MS = 60_000
    article = make_article()
    for expected in range(1, 4):
        assert views_shown(article) == expected
    assert stored_views(article) == 0
    flusher.run_once()
    assert (stored_views(article), total_visits()) == (3, 3)
    assert flusher.run_once() == {}  # nothing twice


def test_a_refused_write_keeps_the_counts_for_the_next_flush(counter_store, settings):
    """The database failing during a flush loses nothing: the counts go back to Redis and arrive later."""
    settings.LIVE_FLUSH_MS = 60_000
    article = make_article()
    for _ in range(3):
        views_shown(article)
    with mock.patch.object(counters, "_add_counts", side_effect=DatabaseError("database is gone")):
        assert counters.flush_pending() == {}
    assert stored_views(article) == 0
    assert views_shown(article) == 4  # the page never stopped counting
    counters.flush_pending()
    assert (stored_views(article), total_visits()) == (4, 4)


def test_a_mirror_rebuilt_while_counts_are_pending_includes_them(counter_store, settings):
    """The Redis copy of a count expires or is dropped: rebuilt from the database, it adds what is pending."""
    settings.LIVE_FLUSH_MS = 60_000
    settings.LIVE_DIRTY_MS = 1
    article = make_article()
    for _ in range(3):
        views_shown(article)
    counters.forget(f"views:{article.pk}")  # as if the mirror had expired
    assert stored_views(article) == 0
    assert views_shown(article) == 4
    counters.flush_pending()
    assert stored_views(article) == 4
    assert views_shown(article) == 5


def test_flushes_never_overlap(counter_store, settings):
    """While one flush is on its way (another machine's, say) a second takes nothing and writes nothing."""
    settings.LIVE_FLUSH_MS = 60_000
    article = make_article()
    for _ in range(3):
        views_shown(article)
    client = shared_redis.client(shared_redis.COUNTERS)
    client.set(counters.key("flush-lock"), 1)
    assert counters.flush_pending() == {}
    assert stored_views(article) == 0
    client.delete(counters.key("flush-lock"))
    assert counters.flush_pending() == {
        f"views:{article.pk}": 3,
        f"visits:{first_unit().pk}": 3,
        f"day:{first_unit().pk}:{counters.local_day(timezone.now())}": 3,
    }
    assert stored_views(article) == 3


def test_a_reader_who_read_the_database_before_a_flush_does_not_seed_from_it(counter_store, settings):
    """A flush between a reader's database query and its seed would make the mirror miss the flushed
    counts (in neither place for that reader): the flush generation refuses such a seed."""
    settings.LIVE_FLUSH_MS = 60_000
    article = make_article()
    for _ in range(3):
        views_shown(article)
    client = shared_redis.client(shared_redis.COUNTERS)
    name = f"views:{article.pk}"
    client.delete(counters.key("n", "0", name))
    seen = client.get(counters.key("flushgen")) or b"0"
    counters.flush_pending()  # the database moves to 3 after the reader read 0
    shown = counters._seed({"views:{a}": b""}, {"views:{a}": 0}, article.pk, seen, "0")
    assert shown == {"views:{a}": 0}  # this response alone shows the stale sum
    assert client.get(counters.key("n", "0", name)) is None  # but the mirror is not seeded with it
    assert views_shown(article) == 4  # the next reader seeds from the database: exact again


def test_the_flush_command_says_what_it_wrote_in_vietnamese(counter_store, settings):
    """An operator running `flush_counters` before stopping Redis reads what reached the database."""
    settings.LIVE_FLUSH_MS = 60_000
    article = make_article()
    for _ in range(3):
        views_shown(article)
    out = io.StringIO()
    call_command("flush_counters", stdout=out)
    assert out.getvalue().strip() == "Đã ghi 3 lượt truy cập, 3 lượt xem bài viết."
