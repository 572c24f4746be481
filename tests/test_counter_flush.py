"""With Redis, counted visits and views reach the database in batches (stats.counters.flush_pending)."""

import io
import json
import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article
from portal import redis as shared_redis
from stats import counters, figures, flusher
from stats.models import DailyVisits, DeferredCount
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


def test_an_article_shown_first_seeds_its_figures_from_its_own_query(counter_store, settings):
    """An article no one has read lately: its views and stars come with the article's query and seed
    Redis in the counting call, with no query of their own and no second call, and they are exact."""
    settings.LIVE_FLUSH_MS = 60_000
    article, other = make_article(), make_article()
    Article.objects.filter(pk=article.pk).update(view_count=41)
    views_shown(other)  # the unit's visit figures are in Redis already
    with (
        mock.patch.object(counters, "read_values", wraps=counters.read_values) as read,
        mock.patch.object(counters, "_seed", wraps=counters._seed) as seed,
    ):
        assert views_shown(article) == 42
    assert (read.call_count, seed.call_count) == (0, 0)
    client = shared_redis.client(shared_redis.COUNTERS)
    assert client.get(counters.key("n", "0", f"views:{article.pk}")) == b"42"
    assert client.get(counters.key("n", "0", f"rcnt:{article.pk}")) == b"0"
    counters.flush_pending()
    assert stored_views(article) == 42


def test_an_article_whose_query_came_before_a_flush_does_not_seed_from_it(counter_store, settings):
    """A flush between the page-cache lookup (the generation seen) and the counting call: what the
    article's query read may lack the flushed counts, so Redis refuses it and the figures are read again."""
    settings.LIVE_FLUSH_MS = 60_000
    article = make_article()
    for _ in range(3):
        views_shown(article)
    client = shared_redis.client(shared_redis.COUNTERS)
    client.delete(counters.key("n", "0", f"views:{article.pk}"))
    request = reader_request(article, client)
    figures.offer(request, article.pk, {"views:{a}": 0, "rsum:{a}": 0, "rcnt:{a}": 0})  # read before the flush
    counters.flush_pending()  # the database moves to 3
    live = counters.record(request, article.pk)
    assert live.numbers["views"] == 4
    assert client.get(counters.key("n", "0", f"views:{article.pk}")) == b"4"


def reader_request(article, client):
    """A reader's request after its page-cache miss: the flush generation and epoch it saw."""
    request = RequestFactory().get(article.get_absolute_url())
    generation, epoch = client.get(counters.key("flushgen")) or b"0", client.get(counters.key("epoch")) or b"0"
    request.visitor_id, request.live_state = "b" * 32, generation + b":" + epoch
    return request


def test_an_article_whose_query_came_before_every_mirror_was_dropped_does_not_seed_from_it(counter_store, settings):
    """forget_all (counts made by the database while Redis was away, a reset of the demo's figures)
    between the miss and the counting call: what the article's query read is not seeded either."""
    settings.LIVE_FLUSH_MS = 60_000
    article = make_article()
    client = shared_redis.client(shared_redis.COUNTERS)
    views_shown(make_article())
    request = reader_request(article, client)
    figures.offer(request, article.pk, {"views:{a}": 0, "rsum:{a}": 0, "rcnt:{a}": 0})
    Article.objects.filter(pk=article.pk).update(view_count=5)  # the database counted meanwhile
    counters.forget_all()
    assert counters.record(request, article.pk).numbers["views"] == 6


def test_figures_read_long_before_the_counting_call_are_not_offered(counter_store, settings):
    """A rating's mark against seeding lasts LIVE_DIRTY_MS: figures read longer ago than half of it
    (a slow page) are read again instead."""
    settings.LIVE_FLUSH_MS, settings.LIVE_DIRTY_MS = 60_000, 2_000
    article = make_article()
    client = shared_redis.client(shared_redis.COUNTERS)
    views_shown(make_article())
    request = reader_request(article, client)
    figures.offer(request, article.pk, {"views:{a}": 0, "rsum:{a}": 0, "rcnt:{a}": 0})
    Article.objects.filter(pk=article.pk).update(view_count=5)  # a change the page's query did not see
    with mock.patch.object(time, "monotonic", return_value=time.monotonic() + 1.5):
        assert counters.record(request, article.pk).numbers["views"] == 6


def test_a_call_kept_to_be_sent_again_keeps_no_seed(counter_store, settings):
    """A counting call in doubt is sent again later: what its page read then is stale by that time,
    so it is kept without its seeds, and sent again it reads the database like any other reader."""
    settings.LIVE_FLUSH_MS = 60_000
    article = make_article()
    Article.objects.filter(pk=article.pk).update(view_count=7)
    views_shown(make_article())
    calls = []

    def counting_lost(commands, stores=()):  # the page-cache lookup is answered, the counting call is not
        calls.append(commands)
        if len(calls) > 1:
            raise shared_redis.InDoubt("lost twice")
        return call(commands, stores)

    call = counters._call
    with mock.patch.object(counters, "_call", side_effect=counting_lost):
        Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
    assert [arg for arg in calls[1][0] if str(arg).startswith("views:{a}=")]  # the lost call carried seeds
    payload = json.loads(DeferredCount.objects.get().payload)
    assert len(payload["keys"]) == 2
    assert not [arg for arg in payload["args"][15:] if "=" in str(arg)]
    Article.objects.filter(pk=article.pk).update(view_count=9)  # flushed meanwhile, say
    shared_redis.reset()  # Redis answers again
    assert counters.replay_deferred() == 1
    assert views_shown(article) == 11  # 9, the replayed view and this one
