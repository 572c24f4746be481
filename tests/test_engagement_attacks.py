"""The engagement core as a reviewer attacked it: each test is a finding that was fixed, or an attack
that held."""

import json
from unittest import mock

import pytest
from django.test import Client

from portal import redis as shared_redis
from portal.pagecache import PageOptions, _cache_key
from stats import counters
from stats.models import DeferredCount
from tests.factories import make_article, make_category
from tests.test_engagement_core import BROWSER, browser, total_visits, views

pytestmark = pytest.mark.django_db

REDIS = pytest.mark.parametrize("counter_store", ["redis"], indirect=True)


@pytest.mark.usefixtures("counter_store")
@pytest.mark.parametrize("number", ["²", "①"])
def test_a_unicode_digit_page_number_is_not_a_500(number):
    """str.isdigit() is true for '²' and '①', int() refuses them: _page_number raises ValueError."""
    category = make_category("Tin tức")
    make_article(category=category)
    reader = Client(HTTP_USER_AGENT=BROWSER, raise_request_exception=False)
    assert reader.get(category.get_absolute_url(), {"page": number}).status_code in (200, 404)
    assert reader.get("/tim-kiem/", {"q": "kim", "page": number}).status_code in (200, 404)


def test_host_spellings_name_separate_cache_entries(rf, settings):
    """Django accepts any case of an allowed host and a trailing dot; each spelling is its own entry."""
    settings.ALLOWED_HOSTS = ["kimson.example.vn"]
    hosts = ["kimson.example.vn", "KIMSON.example.vn", "Kimson.Example.VN", "kimson.example.vn."]
    keys = {_cache_key(rf.get("/", HTTP_HOST=host), PageOptions()) for host in hosts}
    assert len(keys) == 1, f"{len(keys)} cache entries for one page"


@REDIS
def test_counting_limit_reads_the_address_the_proxy_gives(counter_store, settings):
    """Held after main's portal.clientaddr: behind nginx (REMOTE_ADDR 127.0.0.1) the Lua limit keys
    the client from X-Forwarded-For, not the whole site as one address."""
    settings.ENGAGEMENT_COUNT_RATE = "5/m"
    article = make_article()
    for n in range(10):
        Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").get(
            article.get_absolute_url()
        )
    assert (views(article), total_visits()) == (10, 10)


@REDIS
def test_counting_limit_takes_an_ipv6_network_as_one_address(counter_store, settings):  # the database path holds
    """django-ratelimit masks IPv6 to /64 (the database path); the Lua limit keys the raw address, so
    one /64 (2^64 addresses, any home line) escapes ENGAGEMENT_COUNT_RATE on the Redis path."""
    settings.ENGAGEMENT_COUNT_RATE = "5/m"
    article = make_article()
    for n in range(10):
        browser(address=f"2001:db8:1:2::{n + 1:x}").get(article.get_absolute_url())
    assert views(article) == 5


@REDIS
def test_cookieless_requests_over_the_limit_still_inflate_online_and_fill_redis(counter_store, settings):
    """Over the limit nothing is counted, but `starts()` has already SET a seen/view key and ZADDed the
    visitor to `online`: a script without cookies makes "online" any number it likes, and fills the
    noeviction counters Redis with ~2 keys a request for 31 minutes."""
    settings.ENGAGEMENT_COUNT_RATE = "5/m"
    article = make_article()
    url = article.get_absolute_url()
    browser().get(url)
    browser().get(url)  # cached now
    client = shared_redis.client(shared_redis.COUNTERS)
    keys_before = client.dbsize()
    for _ in range(200):
        browser().get(url)
    online = client.zcard(counters.key("online"))
    grown = client.dbsize() - keys_before
    assert online <= 10 and grown <= 20, f"online {online}, {grown} new keys in the counters Redis"


@REDIS
def test_a_reload_while_redis_is_marked_down_is_not_a_second_view(counter_store):
    """One timeout marks the counters down for 5 s: a reader who reloads then is kept for Redis,
    which knows the earlier view, never counted by the database (which does not)."""
    article = make_article()
    reader = browser()
    reader.get(article.get_absolute_url())
    assert (views(article), total_visits()) == (1, 1)
    shared_redis.mark_down(shared_redis.COUNTERS, "one slow reply")
    reader.get(article.get_absolute_url())
    shared_redis.reset()
    assert (views(article), total_visits()) == (1, 1)


@REDIS
def test_a_deferred_call_sent_again_after_the_visit_window_counts_a_visit_that_never_started(counter_store):
    """A call in doubt for a reload (no new visit) sent again 31 minutes later, when the visitor's
    `seen` key has expired: whether it started a visit cannot be told, so it counts nothing."""
    article = make_article()
    reader = browser()
    reader.get(article.get_absolute_url())
    with mock.patch.object(counters, "_call", side_effect=shared_redis.InDoubt("lost twice")):
        reader.get(article.get_absolute_url())  # a reload: nothing to count
    assert DeferredCount.objects.count() == 1
    shared_redis.reset()
    client = shared_redis.client(shared_redis.COUNTERS)
    for name in client.scan_iter(counters.key("seen", "*")):
        client.delete(name)  # what 31 minutes do
    for name in client.scan_iter(counters.key("view", "*")):
        client.delete(name)
    kept = DeferredCount.objects.get()
    payload = json.loads(kept.payload)
    payload["args"][2] -= 31 * 60 + 1
    kept.payload = json.dumps(payload)
    kept.save()
    counters.replay_deferred()
    assert (views(article), total_visits()) == (1, 1)


@REDIS
def test_head_requests_count_nothing(counter_store):
    article = make_article()
    url = article.get_absolute_url()
    browser().get(url)
    for _ in range(5):
        browser().head(url)
    assert (views(article), total_visits()) == (1, 1)


@pytest.mark.usefixtures("counter_store")
@pytest.mark.parametrize(
    "cookie",
    ["x" * 4000, "é" * 40, "a" * 32 + ":" + "é" * 20, "0" * 32 + ":" * 30, "\x00" * 50, '"' + "a" * 40 + '"'],
)
def test_bad_visitor_cookies_are_new_visitors_not_errors(cookie):
    """Sent as the raw header a client writes (Python's own cookie jar refuses some of these)."""
    article = make_article()
    response = browser().get(article.get_absolute_url(), HTTP_COOKIE=f"kv={cookie}")
    assert response.status_code == 200
    assert response.cookies["kv"].value.count(":") == 1  # a new visitor, given a cookie of its own


@REDIS
def test_a_junk_search_asked_twice_is_kept_as_a_whole_page(counter_store):
    """The asked-before guard stops one-shot floods only: a script that sends each junk query twice
    gets a full-page entry for each (allkeys-lru then evicts the real pages)."""
    make_article()
    client = shared_redis.client(shared_redis.CACHE)
    before = len(list(client.scan_iter(counters.key("page", "*"))))
    crawler = Client(HTTP_USER_AGENT="curl/8.5.0")
    for n in range(50):
        for _ in range(2):
            assert crawler.get("/tim-kiem/", {"q": f"zzqx{n}"}).status_code == 200
    kept = len(list(client.scan_iter(counters.key("page", "*")))) - before
    assert kept <= 5, f"{kept} whole-page entries for 50 junk searches"


@REDIS
def test_redis_commands_per_cached_hit(counter_store):
    """Measures: a cached article hit for a returning reader should be one round trip."""
    article = make_article()
    url = article.get_absolute_url()
    reader = browser()
    reader.get(url)
    reader.get(url)
    reader.get(url)
    client = shared_redis.client(shared_redis.COUNTERS)
    client.config_resetstat()
    for _ in range(20):
        reader.get(url)
    calls = {name: value["calls"] for name, value in client.info("commandstats").items()}
    # Held: the client sends EVALSHA + HGET in one round trip; the rest runs inside the script.
    assert calls["cmdstat_evalsha"] == 20 and calls["cmdstat_hget"] == 20


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_an_unknown_parameter_bypasses_the_cache(counter_store, django_assert_num_queries):
    """`?x=1` on a page that reads no parameter renders it again every time (SQL per request): any
    client defeats the cache with a random parameter. The page is the same: drop it from the key."""
    article = make_article()
    url = article.get_absolute_url()
    browser().get(url)
    reader = browser()
    reader.get(url)
    with django_assert_num_queries(0):
        assert reader.get(url, {"x": "1"}).status_code == 200


@REDIS
def test_an_article_saved_by_an_editor_keeps_the_views_flushed_meanwhile(counter_store):
    """Article.save() writes every field, view_count included: an editor's save (admin POST loads
    the row, the flusher adds views, the form saves) writes the old count back."""
    from news.models import Article

    article = make_article()
    editing = Article.objects.get(pk=article.pk)  # the admin's POST loads the row
    browser().get(article.get_absolute_url())
    counters.flush_pending()  # the flusher thread, meanwhile
    editing.title = "Sơ kết hoạt động cụm số 1 (sửa)"
    editing.save()
    assert Article.objects.get(pk=article.pk).view_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_votes_of_one_address_stay_within_the_cap():
    """Caps.full() checks, record_vote() writes, Caps.count() counts: votes sent at once all pass
    the check before any is counted (check-then-act), so a parallel script overshoots the cap."""
    import threading

    from django.db import connection
    from django.urls import reverse

    from polls.models import Choice
    from portal.limits import Caps
    from tests.factories import make_poll

    poll = make_poll()
    choice = str(poll.choices.first().pk)
    # One at a time, 30 votes add 5; all at once: 30 of 30 (PostgreSQL, threads of one process).
    with mock.patch("polls.views.VOTE_CAPS", Caps("polls:votes", "5/10m")):
        readers = []
        for _ in range(30):
            reader = browser("198.51.100.70")
            reader.get("/")
            readers.append(reader)
        start = threading.Barrier(len(readers))

        def vote(reader):
            start.wait()
            reader.post(reverse("polls:vote", args=[poll.pk]), {"choice": [choice]})
            connection.close()

        threads = [threading.Thread(target=vote, args=(reader,)) for reader in readers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sum(Choice.objects.filter(poll=poll).values_list("votes", flat=True)) <= 5
