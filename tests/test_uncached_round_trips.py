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
from tests.factories import make_article, make_category, visitor_cookie

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


@pytest.fixture
def production_cache(settings, one_redis):
    """Django's cache on the page cache's Redis, as in production (the tests' default is local memory)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.PortalRedisCache",
            "LOCATION": settings.PAGE_CACHE_REDIS_URL,
            "KEY_PREFIX": settings.LIVE_KEY_PREFIX,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    return one_redis


def whole_pages(client):
    return len(list(client.scan_iter(f"{shared_redis.key('page')}:*")))


def test_a_new_search_asks_redis_twice_and_is_kept_only_when_asked_again(production_cache):
    make_article(title="Hội nghị tổng kết năm")
    reader().get("/")  # connections made, scripts loaded
    client = reader()
    client.get("/")
    with round_trips() as sent:
        first = client.get("/tim-kiem/", {"q": "tổng kết"})
    assert first.status_code == 200 and "Hội nghị" in first.content.decode()
    # The miss (which also says whether the page was asked for before) and the count: no other
    # lookup or mark of its own, and no page kept for a query asked once.
    assert len(sent) == 2, sent
    pages = whole_pages(production_cache)
    second = reader().get("/tim-kiem/", {"q": "tổng kết"})
    assert whole_pages(production_cache) == pages + 1  # asked again: kept
    with round_trips() as sent:
        third = reader().get("/tim-kiem/", {"q": "tổng kết"})
    assert len(sent) == 1  # a hit
    assert third.content.decode().count("Hội nghị") == second.content.decode().count("Hội nghị") == 1


def test_a_list_page_past_the_first_is_kept_only_when_asked_again(production_cache):
    """A crawler walks a category's archive one page at a time, each page once: a page past the
    first leaves a small mark, not a whole page, until a second reader asks for it."""
    category = make_category("Tin tức")
    for n in range(30):
        make_article(title=f"Bài số {n}", category=category, days=n)
    url = category.get_absolute_url()
    reader().get(url)  # page 1: kept at once, as every plain page
    client = reader()
    client.get("/")
    pages = whole_pages(production_cache)
    with round_trips() as sent:
        assert reader().get(url).status_code == 200
    assert len(sent) == 1  # page 1 was kept on its first request
    crawler = Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    with round_trips() as sent:
        first = client.get(url, {"page": 2})
    assert first.status_code == 200 and "Bài số 12" in first.content.decode()
    assert len(sent) == 2, sent  # the miss (with the mark) and the count (which leaves the mark)
    assert crawler.get(url, {"page": 3}).status_code == 200
    assert whole_pages(production_cache) == pages
    second = reader().get(url, {"page": 2})
    assert whole_pages(production_cache) == pages + 1
    with round_trips() as sent:
        third = reader().get(url, {"page": 2})
    assert len(sent) == 1
    assert third.content.decode().count("Bài số 12") == second.content.decode().count("Bài số 12") == 1
    # A page past the last is a 404 and leaves no mark either.
    keys = production_cache.dbsize()
    for n in range(4, 40):
        assert crawler.get(url, {"page": n}).status_code == 404
    assert production_cache.dbsize() == keys


def test_with_two_redis_a_list_page_past_the_first_is_kept_only_when_asked_again(settings, redis_url):
    """PAGE_CACHE_REDIS_URL and COUNTERS_REDIS_URL apart: the mark is read and left on the page
    cache's server, with the page's own lookup and store, never on the counters' one."""
    import uuid

    from tests.live import redis_server

    category = make_category("Tin tức")
    for n in range(30):
        make_article(title=f"Bài số {n}", category=category, days=n)
    url = category.get_absolute_url()
    with redis_server() as counters_url:
        settings.LIVE_KEY_PREFIX = f"test-{uuid.uuid4().hex}"
        settings.REDIS_URL, settings.PAGE_CACHE_REDIS_URL, settings.COUNTERS_REDIS_URL = "", redis_url, counters_url
        shared_redis.reset()
        pages, counts = redis.Redis.from_url(redis_url), redis.Redis.from_url(counters_url)
        try:
            assert reader().get(url, {"page": 2}).status_code == 200
            assert whole_pages(pages) == 0
            assert pages.keys(f"{settings.LIVE_KEY_PREFIX}:asked:*") and not counts.keys("*:asked:*")
            assert reader().get(url, {"page": 2}).status_code == 200
            assert whole_pages(pages) == 1 and whole_pages(counts) == 0
            with round_trips() as sent:
                third = reader().get(url, {"page": 2})
            assert "Bài số 12" in third.content.decode()
            assert len(sent) == 2  # a hit on two servers: the page, then its count
        finally:
            shared_redis.reset()
