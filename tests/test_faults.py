"""Faults the portal must survive: Redis gone, database connections cut."""

import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_article, make_category
from tests.live import free_port, gunicorn_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def status(url):
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER})
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
def redis_server():
    """A real Redis on a free port, which the test may stop."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG":
            break
        time.sleep(0.1)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


def test_every_page_answers_when_redis_stops(redis_server):
    """Pages answer 200 with Redis up, and still 200 (never 500) after Redis has stopped."""
    redis, redis_url = redis_server
    pages = content_pages()
    others = [path for path in plain_public_paths() if path not in pages]
    with gunicorn_server(workers=2, env={"REDIS_URL": redis_url}) as base_url:
        assert [status(base_url + path) for path in pages] == [200] * len(pages)
        redis.terminate()
        redis.wait(timeout=10)
        for _ in range(3):  # every worker, including those that had a Redis connection open
            assert [status(base_url + path) for path in pages] == [200] * len(pages)
        broken = {path: code for path in others if (code := status(base_url + path)) >= 500}
        assert broken == {}


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
