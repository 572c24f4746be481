"""Redis down means slower, never broken: gunicorn with REDIS_URL at a closed port."""

import time
import urllib.parse
import urllib.request

import pytest

from news.models import Article
from ratings.models import RatingSummary
from stats.models import DailyVisits
from tests.factories import make_article, visitor_cookie
from tests.live import free_port, gunicorn_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
CSRF_SECRET = "K" * 32


def _open(url, visitor_id, data=None):
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(data).encode() if data else None,
        headers={
            "User-Agent": BROWSER,
            "Cookie": f"kv={visitor_cookie(visitor_id)}; csrftoken={CSRF_SECRET}",
            "X-CSRFToken": CSRF_SECRET,
            "Accept": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode()


def test_pages_counters_and_ratings_work_with_redis_stopped():
    """Every page answers 200; ratings are counted at once, views and visits by the database once
    Redis has been away LIVE_OUTAGE_SECONDS (the flushers count what was kept for it)."""
    article = make_article("Tin khi Redis dừng")
    env = {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0", "LIVE_OUTAGE_SECONDS": "0", "LIVE_FLUSH_MS": "200"}
    with gunicorn_server(workers=2, env=env) as base_url:
        for visitor in ["a" * 32, "b" * 32]:
            for path in ["/", article.category.get_absolute_url(), article.get_absolute_url()]:
                status, page = _open(base_url + path, visitor)
                assert status == 200
        status, answer = _open(base_url + f"/danh-gia/{article.pk}/", "a" * 32, {"score": 4})
        assert status == 200 and '"votes": 1' in answer
        with urllib.request.urlopen(
            urllib.request.Request(base_url + article.get_absolute_url(), headers={"User-Agent": BROWSER})
        ) as response:
            assert response.status == 200
        deadline = time.monotonic() + 10
        while Article.objects.get(pk=article.pk).view_count < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        status, page = _open(base_url + article.get_absolute_url(), "a" * 32)
        assert status == 200 and "3 lượt xem" in page
    assert Article.objects.get(pk=article.pk).view_count == 3
    assert sum(DailyVisits.objects.values_list("visits", flat=True)) == 3
    assert RatingSummary.objects.get(article=article).votes == 1
