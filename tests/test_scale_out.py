"""Two app servers behind a load balancer share PostgreSQL and Redis: every total stays exact."""

import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from news.models import Article
from polls.models import Choice, Vote
from ratings.models import RatingSummary
from stats.models import DailyVisits
from tests.factories import make_article, make_poll, visitor_cookie
from tests.live import flush_counts, gunicorn_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
VISITORS = 40


def call(url, visitor, data=None):
    """One browser request (GET, or a JSON POST with its CSRF cookie and token); returns the status."""
    token = secrets.token_hex(16)
    headers = {
        "User-Agent": BROWSER,
        "Cookie": f"kv={visitor_cookie(visitor)}; csrftoken={token}",
        "Accept": "application/json",
    }
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode() if data else None
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def page(url):
    request = urllib.request.Request(url, headers={"User-Agent": "Googlebot/2.1"})  # a crawler counts nothing
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def test_two_servers_keep_exact_totals_of_views_ratings_and_votes(redis_url, settings):
    """40 visitors read, rate and vote through two servers, each also retrying on the other one."""
    article = make_article("Tin đọc qua hai máy chủ")
    poll = make_poll(choices=("Có", "Không"))
    choices = list(poll.choices.values_list("pk", flat=True))
    prefix = f"test-{uuid.uuid4().hex}"
    env = {
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "LIVE_KEY_PREFIX": prefix + ":live",
        "ENGAGEMENT_COUNT_RATE": "100000/m",
        "RATING_RATE": "100000/m",
        "POLL_VOTE_RATE": "100000/m",
        "POLL_VOTE_CAPS": "100000/m",
        "RATING_CAPS": "100000/m",
    }
    visitors = [uuid.uuid4().hex for _ in range(VISITORS)]
    scores = {visitor: n % 5 + 1 for n, visitor in enumerate(visitors)}
    with gunicorn_server(workers=2, env=env) as first, gunicorn_server(workers=2, env=env) as second:
        servers = (first, second)

        def visit(numbered):
            n, visitor = numbered
            here, there = servers[n % 2], servers[(n + 1) % 2]
            article_path = article.get_absolute_url()
            vote = {"choice": choices[n % 2]}
            return [
                call(here + article_path, visitor),
                call(there + article_path, visitor),  # a reload through the other server: not a new view
                call(here + f"/danh-gia/{article.pk}/", visitor, {"score": 1}),
                call(there + f"/danh-gia/{article.pk}/", visitor, {"score": scores[visitor]}),  # replaces
                call(here + f"/binh-chon/{poll.pk}/bo-phieu/", visitor, vote),
                call(there + f"/binh-chon/{poll.pk}/bo-phieu/", visitor, vote),  # a second vote
            ]

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(visit, enumerate(visitors)))
        shown = [page(server + article.get_absolute_url()) for server in servers]

    assert all(s[:5] == [200] * 5 and s[5] == 409 for s in statuses), statuses
    flush_counts(settings, env)
    assert Article.objects.get(pk=article.pk).view_count == VISITORS
    assert sum(DailyVisits.objects.values_list("visits", flat=True)) == VISITORS
    summary = RatingSummary.objects.get(article=article)
    assert (summary.votes, summary.score_sum) == (VISITORS, sum(scores.values()))
    assert Vote.objects.filter(poll=poll).count() == VISITORS
    assert dict(Choice.objects.filter(poll=poll).values_list("pk", "votes")) == {
        choices[0]: VISITORS // 2,
        choices[1]: VISITORS // 2,
    }
    for html in shown:
        assert re.search(rf"\b{VISITORS} lượt xem", html)
