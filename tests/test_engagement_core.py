"""The engagement core as an attacker and as readers behind shared addresses try it.

Issued visitors (signed cookies), per-address caps on votes and ratings, crawlers by a kept list,
a page cache keyed by what changes the page, and counts that stay exact when Redis is slow.
"""

import threading
import time
from unittest import mock

import pytest
import redis
from django.test import Client
from django.urls import reverse

from feedback.models import Feedback
from news.models import Article
from polls.models import Choice
from portal import redis as shared_redis
from portal.visitors import VISITOR_COOKIE, signed
from ratings.models import RatingSummary
from stats import counters, flusher
from stats.models import DailyVisits, DeferredCount
from tests.factories import make_article, make_category, make_poll, visitor_cookie

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
JSON = {"HTTP_ACCEPT": "application/json"}

CRAWLERS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "FeedFetcher-Google; (+http://www.google.com/feedfetcher.html)",
    "Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)",
    "WhatsApp/2.23.20.0",
    "Go-http-client/1.1",
    "okhttp/4.12.0",
    "Python-urllib/3.11",
    "python-requests/2.32.3",
    "Scrapy/2.11.2 (+https://scrapy.org)",
    "curl/8.5.0",
    "Wget/1.21.3",
    "axios/1.7.2",
    "Java/17.0.9",
    "Apache-HttpClient/4.5.14 (Java/17.0.9)",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "",
]
BROWSERS = [
    BROWSER,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Linux; Android 13; CPH2591) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile "
    "Safari/537.36 coc_coc_browser/125.0.0",
]


def browser(address="203.0.113.50", agent=BROWSER):
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def total_visits():
    return sum(DailyVisits.objects.values_list("visits", flat=True))


def views(article):
    counters.flush_pending()
    return Article.objects.get(pk=article.pk).view_count


# --- visitors the server issued ---------------------------------------------------------------


@pytest.mark.usefixtures("counter_store")
@pytest.mark.parametrize(
    "cookie",
    ["0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef:forgedsignature", "x" * 60],
)
def test_a_cookie_the_server_did_not_sign_is_a_new_visitor(cookie):
    """A made-up, unsigned or altered cookie is a new visitor: counted as one, given a real cookie."""
    article = make_article()
    first = browser()
    first.cookies[VISITOR_COOKIE] = cookie
    response = first.get(article.get_absolute_url())
    issued = response.cookies[VISITOR_COOKIE].value
    assert issued != cookie and issued.split(":")[0] != cookie.split(":")[0]
    assert views(article) == 1
    # The same made-up cookie again is yet another new visitor, never a returning one.
    again = browser()
    again.cookies[VISITOR_COOKIE] = cookie
    again.get(article.get_absolute_url())
    assert views(article) == 2


@pytest.mark.usefixtures("counter_store")
def test_a_returning_visitor_keeps_their_signed_cookie():
    article = make_article()
    reader = browser()
    reader.get(article.get_absolute_url())
    second = reader.get(article.get_absolute_url())
    assert VISITOR_COOKIE not in second.cookies
    assert views(article) == 1


@pytest.mark.usefixtures("counter_store")
def test_ratings_without_an_issued_visitor_count_nothing_and_say_why():
    """Ten rating POSTs with no visitor cookie, or a forged one: no rater counted, a clear message,
    the figures still given (the block keeps its score line)."""
    article = make_article()
    article_rater = browser()
    article_rater.get(article.get_absolute_url())
    article_rater.post(f"/danh-gia/{article.pk}/", {"score": 4})
    for n in range(10):
        client = browser()
        if n % 2:
            client.cookies[VISITOR_COOKIE] = "0123456789abcdef0123456789abcdef"
        response = client.post(f"/danh-gia/{article.pk}/", {"score": 5}, **JSON)
        assert response.status_code == 403
        data = response.json()
        assert "mã người xem" in data["error"] and "tải lại bài viết" in data["error"]
        assert data["summary"] == "4,0 điểm ( 1 đánh giá )"
    assert RatingSummary.objects.get(article=article).votes == 1
    plain = browser().post(f"/danh-gia/{article.pk}/", {"score": 5})
    assert plain.status_code == 403 and "4,0 điểm ( 1 đánh giá )" in plain.content.decode()


def test_an_automated_client_is_told_so_when_it_rates():
    """The refusal of a crawler's rating says why (not that cookies are off)."""
    article = make_article()
    response = browser(agent="python-requests/2.32.3").post(f"/danh-gia/{article.pk}/", {"score": 5}, **JSON)
    assert response.status_code == 403
    assert "chương trình tự động" in response.json()["error"]
    assert "cookie" not in response.json()["error"]


def open_and_vote(poll, address):
    client = browser(address)
    client.get("/")
    return client.post(reverse("polls:vote", args=[poll.pk]), {"choice": [str(poll.choices.first().pk)]})


def poll_votes(poll):
    return sum(Choice.objects.filter(poll=poll).values_list("votes", flat=True))


def test_thirty_browsers_of_one_office_that_opened_a_page_all_vote():
    poll = make_poll()
    statuses = [open_and_vote(poll, "198.51.100.60").status_code for _ in range(30)]
    assert statuses == [303] * 30
    assert poll_votes(poll) == 30


def test_two_hundred_fresh_cookie_jars_from_one_address_add_at_most_sixty():
    """A script that opens a page for each made-up voter: the per-poll cap of the address holds."""
    poll = make_poll()
    answers = [open_and_vote(poll, "198.51.100.61") for _ in range(200)]
    assert poll_votes(poll) <= 60
    assert {answer.status_code for answer in answers} == {303, 429}
    capped = answers[100]  # past the cap, before the flood guard of 120 requests a minute
    assert capped.status_code == 429 and "thử lại sau 10 phút" in capped.content.decode()
    # Another address is not affected.
    assert open_and_vote(poll, "198.51.100.62").status_code == 303


def test_ratings_are_capped_per_article_and_address():
    article = make_article()
    statuses = []
    for _ in range(70):
        client = browser("198.51.100.63")
        client.get(article.get_absolute_url())
        statuses.append(client.post(f"/danh-gia/{article.pk}/", {"score": 5}, **JSON).status_code)
    assert statuses[:30] == [200] * 30
    assert RatingSummary.objects.get(article=article).votes <= 60
    assert 429 in statuses


# --- crawlers by a kept list ------------------------------------------------------------------


@pytest.mark.usefixtures("counter_store")
def test_crawlers_and_http_libraries_are_not_counted_real_browsers_are():
    article = make_article()
    for agent in CRAWLERS:
        response = browser(agent=agent).get(article.get_absolute_url())
        assert response.status_code == 200
        assert VISITOR_COOKIE not in response.cookies
    assert views(article) == 0
    for agent in BROWSERS:
        assert browser(agent=agent).get(article.get_absolute_url()).status_code == 200
    assert views(article) == len(BROWSERS)
    assert total_visits() == len(BROWSERS)


# --- a page cache keyed by what changes the page ------------------------------------------------


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_links_shared_with_tracking_parameters_come_from_the_cache(counter_store, django_assert_num_queries):
    article = make_article()
    url = article.get_absolute_url()
    browser().get(url)
    browser().get(url)
    reader = browser()
    reader.get("/")
    for query in ("?fbclid=IwAR0abc", "?utm_source=zalo&utm_medium=social", "?zarsrc=30&utm_campaign=x", "?gclid=1"):
        with django_assert_num_queries(0):
            assert reader.get(url + query).status_code == 200


def junk_queries(n):
    """Page numbers beyond any range, padded numbers, `page` where nothing paginates, unknown
    parameters: what a crawler or a flood sends."""
    kind = n % 4
    if kind == 0:
        return {"page": str(2 + n)}
    if kind == 1:
        return {"page": "0" * (n % 4 + 1) + "1", "utm_source": f"s{n}"}
    if kind == 2:
        return {"trang": str(n)}
    return {f"x{n}": "1", "fbclid": str(n)}


def test_ten_thousand_distinct_junk_urls_name_no_new_cache_entry(rf):
    """Of 10,000 distinct junk URLs of a category and an article, none names a page the cache keeps
    besides the real ones (page 1 and the few pages a page number within MAX_PAGE may name)."""
    from portal.pagecache import PageOptions, _cache_key

    listing, plain = PageOptions(paginated=True), PageOptions()
    keys = set()
    for n in range(10_000):
        query = junk_queries(n)
        keys.add(_cache_key(rf.get("/chuyen-muc/tin-tuc/", query, HTTP_USER_AGENT=BROWSER), listing))
        keys.add(_cache_key(rf.get("/tin-tuc/bai/", query, HTTP_USER_AGENT=BROWSER), plain))
        keys.add(_cache_key(rf.get("/", query, HTTP_HOST=f"127.0.0.1:{1000 + n}", SERVER_PORT="80"), plain))
    keys.discard(None)
    pages = {_cache_key(rf.get("/chuyen-muc/tin-tuc/", {"page": str(2 + n)}), listing) for n in range(0, 10_000, 4)}
    assert keys - pages == {
        _cache_key(rf.get("/chuyen-muc/tin-tuc/"), listing),
        _cache_key(rf.get("/tin-tuc/bai/"), plain),
    }


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_a_flood_of_junk_urls_leaves_redis_memory_bounded(counter_store, settings):
    """2,000 junk requests (the finding's +30 MB): Redis grows by less than 1 MB and 20 keys, real
    pages and counts are untouched. A page number beyond the range is a 404, never an entry."""
    category = make_category("Tin tức")
    article = make_article(category=category)
    client = shared_redis.client(shared_redis.CACHE)
    reader = browser()
    reader.get(article.get_absolute_url())
    reader.get(category.get_absolute_url())
    before, keys_before = client.info("memory")["used_memory"], client.dbsize()
    crawler = Client(HTTP_USER_AGENT=CRAWLERS[0])
    for n in range(2_000):
        query = junk_queries(n)
        if n % 3 == 0:
            response = crawler.get(category.get_absolute_url(), query)
            assert response.status_code == (404 if n % 4 == 0 else 200)
        elif n % 3 == 1:
            crawler.get(article.get_absolute_url(), query)
        else:
            crawler.get(category.get_absolute_url(), HTTP_HOST=f"127.0.0.1:{1000 + n}", SERVER_PORT="80")
    grown = client.info("memory")["used_memory"] - before
    assert client.dbsize() - keys_before < 20
    assert grown < 1_000_000, f"Redis grew by {grown} bytes"
    assert views(article) == 1


@pytest.mark.usefixtures("counter_store")
def test_a_citizen_feedback_does_not_empty_the_news_cache(django_assert_num_queries):
    """Feedback is not shown on news pages: submitting one leaves cached pages in place."""
    article = make_article()
    url = article.get_absolute_url()
    reader = browser()
    reader.get(url)
    reader.get(url)
    Feedback.objects.create(title="Đường xóm 3 hỏng", content="Đề nghị sửa đường.", name="Nguyễn Văn A")
    with django_assert_num_queries(0 if counter_store_is_redis() else 2):
        reader.get(url)


def counter_store_is_redis():
    return bool(shared_redis.url(shared_redis.COUNTERS))


# --- exactly once, whatever Redis does ----------------------------------------------------------


def pause_redis(url, milliseconds):
    """Hold every other client of that Redis for `milliseconds`, as a stalled server would."""
    redis.Redis.from_url(url).execute_command("CLIENT", "PAUSE", milliseconds, "ALL")


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_a_reply_after_the_timeout_does_not_count_twice(counter_store, settings):
    """Redis answers after the 0.5 s timeout (the script had run): sent again, it counts once."""
    article = make_article()
    browser().get(article.get_absolute_url())
    pause_redis(settings.COUNTERS_REDIS_URL, 800)
    assert browser().get(article.get_absolute_url()).status_code == 200
    time.sleep(0.9)
    shared_redis.reset()
    flusher.run_once()
    assert (views(article), total_visits()) == (2, 2)
    assert not DeferredCount.objects.exists()


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_a_call_lost_twice_is_sent_again_later_and_counts_once(counter_store, settings):
    """Both tries time out: the reader gets the page, the call is kept and sent again later: once."""
    article = make_article()
    browser().get(article.get_absolute_url())
    pause_redis(settings.COUNTERS_REDIS_URL, 1500)
    assert browser().get(article.get_absolute_url()).status_code == 200
    assert DeferredCount.objects.count() == 1
    time.sleep(1.6)
    shared_redis.reset()
    assert flusher.run_once() is not None
    assert (views(article), total_visits()) == (2, 2)
    assert not DeferredCount.objects.exists()
    flusher.run_once()
    assert (views(article), total_visits()) == (2, 2)


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_a_flush_whose_answer_was_lost_is_finished_once(counter_store):
    """The database took a flush but Redis never heard back: the next flush does not add it again."""
    article = make_article()
    for _ in range(3):
        browser().get(article.get_absolute_url())
    with mock.patch.object(counters, "_SETTLE", "return redis.error_reply('lost')"):
        counters.flush_pending()
    assert Article.objects.get(pk=article.pk).view_count == 3
    shared_redis.reset()
    counters.flush_pending()
    assert (views(article), total_visits()) == (3, 3)


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_counts_taken_by_a_flush_that_died_are_written_by_the_next(counter_store):
    """A flush took the pending counts and died before writing them: the next one writes them once."""
    article = make_article()
    for _ in range(2):
        browser().get(article.get_absolute_url())
    keys = [counters.key(name) for name in ("pending", "flushing", "flush-id", "flush-lock", "flushgen")]
    shared_redis.script(shared_redis.COUNTERS, counters._TAKE)(keys=keys, args=["dead", "deadflush", 1])
    time.sleep(0.01)  # its lock expires
    browser().get(article.get_absolute_url())
    assert counters.flush_pending()
    assert (views(article), total_visits()) == (3, 3)


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_a_flush_lock_is_released_only_by_its_owner(counter_store):
    client = shared_redis.client(shared_redis.COUNTERS)
    client.set(counters.key("flush-lock"), "someone-else", px=60_000)
    keys = [counters.key(name) for name in ("flushing", "flush-id", "flush-lock", "flushgen")]
    shared_redis.script(shared_redis.COUNTERS, counters._SETTLE)(keys=keys, args=["me", ""])
    assert client.get(counters.key("flush-lock")) == b"someone-else"


def test_signed_cookies_of_another_secret_are_refused(settings):
    assert signed("0123456789abcdef0123456789abcdef", key="another") != visitor_cookie(
        "0123456789abcdef0123456789abcdef"
    )
    reader = browser()
    reader.cookies[VISITOR_COOKIE] = signed("0123456789abcdef0123456789abcdef", key="another")
    assert VISITOR_COOKIE in reader.get("/").cookies


def test_the_flusher_thread_starts_once_per_process(settings):
    settings.COUNTERS_REDIS_URL = "redis://127.0.0.1:1/0"
    with mock.patch.object(flusher, "_loop", lambda: threading.Event().wait(0.2)):
        flusher._started.clear()
        first, second = flusher.start(), flusher.start()
    assert first is second and first.daemon
    settings.COUNTERS_REDIS_URL = ""
    flusher._started.clear()
    assert flusher.start() is None


def test_the_page_cache_and_the_counters_can_live_in_two_redis(settings, redis_url, django_assert_num_queries):
    """PAGE_CACHE_REDIS_URL and COUNTERS_REDIS_URL apart (each with its own eviction policy):
    pages are kept in the one, counts in the other, and a hit still costs no SQL."""
    import uuid

    from tests.live import redis_server

    with redis_server() as counters_url:
        settings.LIVE_KEY_PREFIX = f"test-{uuid.uuid4().hex}"
        settings.REDIS_URL, settings.PAGE_CACHE_REDIS_URL, settings.COUNTERS_REDIS_URL = "", redis_url, counters_url
        shared_redis.reset()
        article = make_article()
        url = article.get_absolute_url()
        browser().get(url)
        browser().get(url)
        reader = browser()
        reader.get("/")
        with django_assert_num_queries(0):
            page = reader.get(url).content.decode()
        assert "3 lượt xem" in page
        pages, counts = redis.Redis.from_url(redis_url), redis.Redis.from_url(counters_url)
        prefix = settings.LIVE_KEY_PREFIX
        assert pages.keys(f"{prefix}:page:*") and not counts.keys(f"{prefix}:page:*")
        assert counts.exists(f"{prefix}:pending") and not pages.exists(f"{prefix}:pending")
        assert views(article) == 3
        shared_redis.reset()


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_a_flush_is_written_only_once_redis_kept_its_taking(counter_store, settings):
    """With an append-only file, a flush waits for its taking to be on disk and checks that the same
    Redis still has it: one that a crash undid is left for the next round, never written."""
    settings.LIVE_FLUSH_DURABLE_MS = 0
    client = shared_redis.client(shared_redis.COUNTERS)
    before = client.info()
    client.set(counters.key("flush-id"), "taken")
    assert counters._taking_is_on_disk(client, before, "taken")
    assert not counters._taking_is_on_disk(client, {**before, "run_id": "another-redis-process"}, "taken")
    client.set(counters.key("flush-id"), "after-a-crash")
    assert not counters._taking_is_on_disk(client, before, "taken")
    article = make_article()
    browser().get(article.get_absolute_url())
    real_info = client.info
    with mock.patch.object(type(client), "info", lambda self, *a: {**real_info(*a), "aof_enabled": 1}):
        with mock.patch.object(counters, "_taking_is_on_disk", return_value=False):
            assert counters.flush_pending() == {}
        assert Article.objects.get(pk=article.pk).view_count == 0
        assert counters.flush_pending()  # the same taking, found again and written once
    assert views(article) == 1


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_a_stalled_redis_delays_one_reader_not_every_one(counter_store, settings):
    """Redis stops answering: the first reader waits for the timeouts and marks it down; the next
    readers get their pages at once (Django's cache on that Redis fails fast too), never refused."""
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.PortalRedisCache",
            "LOCATION": settings.PAGE_CACHE_REDIS_URL,
            "KEY_PREFIX": settings.LIVE_KEY_PREFIX,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    article = make_article()
    url = article.get_absolute_url()
    reader = browser()
    reader.get(url)
    pause_redis(settings.COUNTERS_REDIS_URL, 4000)
    took = []
    for _ in range(4):
        start = time.perf_counter()
        assert reader.get(url).status_code == 200
        took.append(time.perf_counter() - start)
    time.sleep(max(0, 4.2 - sum(took)))
    assert max(took[1:]) < 0.4, [round(t, 2) for t in took]
