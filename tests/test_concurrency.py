"""Many visitors read one article at once on real gunicorn workers: no view or visit lost or doubled."""

import urllib.request
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

from news.models import Article
from stats.models import DailyVisits, Presence
from tests.factories import make_article, visitor_cookie
from tests.live import flush_counts, gunicorn_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

PROCESSES = 4
VISITORS_PER_PROCESS = 30
REQUESTS_PER_VISITOR = 2  # the second is a reload: it must not count
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


def _get(url, visitor_id):
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER, "Cookie": f"kv={visitor_cookie(visitor_id)}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, "lượt xem" in response.read().decode()


def _client_process(url, visitor_ids):
    """One client process: every visitor's requests at once from a pool of threads."""
    jobs = [visitor for visitor in visitor_ids for _ in range(REQUESTS_PER_VISITOR)]
    with ThreadPoolExecutor(max_workers=12) as threads:
        return list(threads.map(lambda visitor: _get(url, visitor), jobs))


@pytest.mark.parametrize("store", ["database", "redis"])
def test_parallel_views_of_one_article_are_counted_exactly(store, request, settings):
    """240 requests from 4 processes, 120 visitors each loading the page twice: 120 views, 120 visits."""
    article = make_article("Tin được đọc nhiều")
    env = {"ENGAGEMENT_COUNT_RATE": "100000/m", "LIVE_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    if store == "redis":
        env.update(REDIS_URL=request.getfixturevalue("redis_url"), CACHE_KEY_PREFIX=env["LIVE_KEY_PREFIX"])
    else:
        env["REDIS_URL"] = ""
    visitors = [[uuid.uuid4().hex for _ in range(VISITORS_PER_PROCESS)] for _ in range(PROCESSES)]
    with gunicorn_server(workers=3, env=env) as base_url:
        url = base_url + article.get_absolute_url()
        with ProcessPoolExecutor(max_workers=PROCESSES) as processes:
            results = [r for batch in processes.map(_client_process, [url] * PROCESSES, visitors) for r in batch]
    assert len(results) == PROCESSES * VISITORS_PER_PROCESS * REQUESTS_PER_VISITOR
    assert all(status == 200 and shows_views for status, shows_views in results)
    expected = PROCESSES * VISITORS_PER_PROCESS
    flush_counts(settings, env)
    assert Article.objects.get(pk=article.pk).view_count == expected
    assert sum(DailyVisits.objects.values_list("visits", flat=True)) == expected
    assert Presence.objects.exists() == (store == "database")  # the Redis run kept presence in Redis
