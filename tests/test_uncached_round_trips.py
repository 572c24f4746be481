"""A page the cache cannot help costs as few Redis round trips as it can (docs/performance.md).

An uncached page asks Redis twice: once for the page (a miss, which also gives the content
version the page is then rendered and kept under), and once to count the request, which also
stores the rendered page. The pages stay exactly as cached and counted as before.
"""

from contextlib import contextmanager
from unittest import mock

import pytest
import redis
from django.test import Client

from portal import redis as shared_redis
from stats import counters
from tests.factories import make_article, visitor_cookie

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


@pytest.fixture
def one_redis(settings, redis_url):
    import uuid

    settings.LIVE_KEY_PREFIX = f"test-{uuid.uuid4().hex}"
    settings.REDIS_URL = settings.PAGE_CACHE_REDIS_URL = settings.COUNTERS_REDIS_URL = redis_url
    shared_redis.reset()
    yield redis.Redis.from_url(redis_url)
    shared_redis.reset()


@contextmanager
def round_trips():
    """Counts what is sent to Redis: one send per round trip (a pipeline, a call, a command)."""
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def send(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health=check_health)

    with mock.patch.object(redis.connection.AbstractConnection, "send_packed_command", send):
        yield sent


def reader():
    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")
    client.cookies["kv"] = visitor_cookie()
    return client


def test_an_uncached_article_asks_redis_twice_and_is_kept_and_counted(one_redis):
    warm, cold = make_article(title="Bài đã đọc"), make_article(title="Bài chưa ai đọc")
    reader().get(warm.get_absolute_url())  # connections made, scripts loaded, mirrors seeded
    counters.flush_pending()
    client = reader()
    client.get(warm.get_absolute_url())
    with round_trips() as sent:
        response = client.get(cold.get_absolute_url())
    assert response.status_code == 200
    assert "Bài chưa ai đọc" in response.content.decode()
    # The miss (with the version and the flush generation), and the count with the page stored and
    # the new article's figures seeded from its own query, in the same round trip.
    assert len(sent) == 2, sent
    with round_trips() as sent:
        again = reader().get(cold.get_absolute_url())
    assert len(sent) == 1  # a hit: one call gives the page and counts it
    assert again.content.decode().count("Bài chưa ai đọc") == response.content.decode().count("Bài chưa ai đọc")
    counters.flush_pending()
    cold.refresh_from_db()
    assert cold.view_count == 2


def test_a_page_of_a_reader_who_is_not_counted_is_still_kept(one_redis):
    article = make_article(title="Bài cho máy đọc")
    crawler = Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    assert crawler.get(article.get_absolute_url()).status_code == 200
    keys = [k for k in one_redis.scan_iter(f"{shared_redis.key('page')}:*")]
    assert len(keys) == 1
    with round_trips() as sent:
        assert crawler.get(article.get_absolute_url()).status_code == 200
    assert len(sent) == 1


def test_a_page_write_that_redis_refuses_does_not_break_the_page_or_its_count(one_redis, settings):
    article = make_article(title="Bài khi Redis đầy")
    reader().get(make_article().get_absolute_url())
    original = shared_redis.round_trip

    def refusing(purpose, commands):
        commands = [("HSET", "not-a-hash-key-but-a-string", "x") if c[0] == "HSET" else c for c in commands]
        return original(purpose, commands)

    one_redis.set("not-a-hash-key-but-a-string", "1")
    with mock.patch.object(shared_redis, "round_trip", refusing):
        response = reader().get(article.get_absolute_url())
    assert response.status_code == 200 and "Bài khi Redis đầy" in response.content.decode()
    counters.flush_pending()
    article.refresh_from_db()
    assert article.view_count == 1
    assert shared_redis.available(shared_redis.COUNTERS)
