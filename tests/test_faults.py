"""Faults the portal must survive: Redis gone, database connections cut."""

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from functools import partial

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from feedback.models import Feedback
from news.models import Article
from stats.models import DeferredCount
from tests.factories import make_article, make_category, visitor_cookie
from tests.live import TEST_PRODUCTION_SECRET_KEY, free_port, gunicorn_server, production_env, redis_server, stop_redis

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def status(url, visitor=None):
    headers = {"User-Agent": BROWSER, **({"Cookie": f"kv={visitor_cookie(visitor)}"} if visitor else {})}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def plain_public_paths(patterns=None, prefix=""):
    """Every public URL without parameters (new apps' pages join by themselves); the admin is left out."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if getattr(pattern, "app_name", None) != "admin":
                found += plain_public_paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern) and "<" not in route and not route.startswith("^"):
            found.append("/" + prefix + route)
    return found


def content_pages():
    category = make_category("Kinh tế")
    article = make_article("Mô hình trồng cói cho thu nhập cao", category=category)
    return ["/", category.get_absolute_url(), article.get_absolute_url()]


@pytest.fixture
def stoppable_redis(redis_url):
    """A Redis of this test's own; `stop()` shuts it down as an outage would.

    (`redis_url` only for its skip: the session's Redis itself is left alone.)"""
    with redis_server() as url:
        yield url, partial(stop_redis, url)


def test_every_page_answers_when_redis_stops(stoppable_redis):
    """Pages answer 200 with Redis up and still 200 (never 500) after it stopped; views still count."""
    redis_url, stop_redis = stoppable_redis
    pages = content_pages()
    article = Article.objects.get()
    others = [path for path in plain_public_paths() if path not in pages]
    env = {"REDIS_URL": redis_url, "LIVE_OUTAGE_SECONDS": "0", "LIVE_FLUSH_MS": "200"}
    with gunicorn_server(workers=2, env=env) as base_url:
        assert [status(base_url + path) for path in pages] == [200] * len(pages)
        stop_redis()
        for _ in range(3):  # every worker, including those that had a Redis connection open
            assert [status(base_url + path) for path in pages] == [200] * len(pages)
        broken = {path: code for path in others if (code := status(base_url + path)) >= 500}
        kept_calls_counted()
        views_before = Article.objects.get(pk=article.pk).view_count
        readers = [uuid.uuid4().hex for _ in range(3)]
        assert [status(base_url + article.get_absolute_url(), reader) for reader in readers] == [200] * 3
        kept_calls_counted()
    assert broken == {}
    # Redis stays away: the flushers count what was kept for it in the database, three more views.
    assert Article.objects.get(pk=article.pk).view_count == views_before + 3


def kept_calls_counted(seconds=10):
    """Wait until the servers' flushers have counted every call kept while Redis was away."""
    deadline = time.monotonic() + seconds
    while DeferredCount.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not DeferredCount.objects.exists()


@pytest.mark.postgres
def test_app_serves_again_after_its_database_connections_are_cut():
    """Like a PostgreSQL restart: every server connection is terminated, the next requests still succeed."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no server connections to cut")
    pages = content_pages()
    with gunicorn_server(workers=2) as base_url:
        for _ in range(4):  # each worker opens its persistent connection
            assert [status(base_url + path) for path in pages] == [200] * len(pages)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
        for _ in range(4):
            assert [status(base_url + path) for path in pages] == [200] * len(pages)


def feedback_browser():
    """A cookie-keeping client, like a citizen's browser."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", BROWSER)]
    return opener


def open_feedback_form(opener, base_url):
    page = opener.open(base_url + "/gop-y/", timeout=10).read().decode()
    fields = dict(re.findall(r'<input type="hidden" name="(csrfmiddlewaretoken|started)" value="([^"]*)"', page))
    return {
        **fields,
        "name": "Nguyễn Văn An",
        "address": "Xóm 3, xã Kim Đông",
        "phone": "0912345678",
        "email": "",
        "title": "Đèn đường hỏng",
        "content": "Đèn đường ở xóm 3 hỏng đã hai tuần.",
        "consent": "on",
    }


def send_feedback(opener, base_url, form):
    """Posts the form; answers (status, page text) after following the redirect to the thank-you page."""
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(base_url + "/gop-y/", data=data, headers={"Referer": base_url + "/gop-y/"})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def tracking_code(page):
    found = re.search(r"GY-\d{4}-\d{5}", page)
    return found.group(0) if found else None


FAST_FORMS = {"FEEDBACK_MIN_FILL_SECONDS": "0"}


def test_feedback_sent_while_redis_is_down_gets_its_code_and_is_stored(stoppable_redis):
    """With Redis stopped (cache and rate limits gone) a citizen still gets a tracking code that is saved."""
    redis_url, stop_redis = stoppable_redis
    with gunicorn_server(workers=2, env={"REDIS_URL": redis_url, **FAST_FORMS}) as base_url:
        browser = feedback_browser()
        form = open_feedback_form(browser, base_url)
        stop_redis()
        status_code, page = send_feedback(browser, base_url, form)
    assert status_code == 200
    code = tracking_code(page)
    assert code is not None, page[:2000]
    assert Feedback.objects.get(code=code).title == "Đèn đường hỏng"


@pytest.mark.postgres
def test_feedback_sent_after_database_connections_are_cut_gets_its_code():
    """A database restart between opening and sending the form loses nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no server connections to cut")
    with gunicorn_server(workers=1, env=FAST_FORMS) as base_url:
        browser = feedback_browser()
        form = open_feedback_form(browser, base_url)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        status_code, page = send_feedback(browser, base_url, form)
    assert status_code == 200
    assert Feedback.objects.filter(code=tracking_code(page)).exists()


def unreachable_database_url():
    if connection.vendor == "postgresql":
        return f"postgres://postgres@127.0.0.1:{free_port()}/kimson"
    return "sqlite:////nonexistent-folder/kimson.sqlite3"


def test_feedback_that_cannot_be_saved_gets_a_clear_error_not_a_code(tmp_path):
    """With the database unreachable the citizen is told the text may not be saved, and no code is shown."""
    same_key = {"SECRET_KEY": TEST_PRODUCTION_SECRET_KEY, **FAST_FORMS}
    with gunicorn_server(workers=1, env=same_key) as healthy_url:
        browser = feedback_browser()
        form = open_feedback_form(browser, healthy_url)
    # Production error pages (DEBUG=0), reached over plain HTTP for this test.
    broken = production_env(tmp_path, DATABASE_URL=unreachable_database_url(), SECURE_SSL_REDIRECT="0", **same_key)
    with gunicorn_server(workers=1, env=broken) as broken_url:
        status_code, page = send_feedback(browser, broken_url, form)
    assert status_code == 500
    assert "Nội dung bạn vừa gửi có thể chưa được lưu" in page
    assert tracking_code(page) is None
    assert not Feedback.objects.exists()
