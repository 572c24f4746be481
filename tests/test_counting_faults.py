"""Counts stay exact when Redis is killed, shut down, restarted or stalls: real gunicorn workers with
their flusher threads, a Redis with the append-only file the docs recommend, counts checked
against what was sent."""

import concurrent.futures
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
import redis

from news.models import Article
from stats.models import DailyVisits, DeferredCount
from tests.factories import make_article, visitor_cookie
from tests.live import free_port, gunicorn_server, redis_server_command

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"


class DurableRedis:
    """A Redis of the test's own, persisted as docs/engagement.md recommends for the counters."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.command = [
            redis_server_command(),
            *("--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(directory)),
            *("--appendonly", "yes", "--appendfsync", "everysec", "--save", ""),
            *("--maxmemory-policy", "noeviction"),
        ]
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                if redis.Redis.from_url(self.url).ping():
                    return
            except (OSError, redis.RedisError):
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def shutdown_nosave(self):
        try:
            redis.Redis.from_url(self.url).shutdown(nosave=True)
        except redis.ConnectionError:
            pass  # the server closes the connection as it goes
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def durable_redis(tmp_path):
    if redis_server_command() is None:
        pytest.skip("needs redis-server (pip install -r requirements/test.txt or apt-get install redis-server)")
    server = DurableRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@contextmanager
def portal(redis_url, **extra):
    env = {"REDIS_URL": redis_url, "ENGAGEMENT_COUNT_RATE": "100000/m", "LIVE_FLUSH_MS": "300", **extra}
    with gunicorn_server(workers=2, env=env) as base_url:
        yield base_url


def read(url):
    """One new reader opening `url`; the status (200 expected whatever Redis does)."""
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER, "Cookie": f"kv={visitor_cookie()}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def readers(url, count, threads=4):
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda _: read(url), range(count)))


def stored(article):
    views = Article.objects.get(pk=article.pk).view_count
    return views, sum(DailyVisits.objects.values_list("visits", flat=True))


def settles_at(article, expected, seconds=15):
    """The database's (views, visits) once the flushers caught up, or what it had after `seconds`."""
    deadline = time.monotonic() + seconds
    while stored(article) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return stored(article)


def test_a_quiet_site_gets_its_counts_within_a_couple_of_seconds(durable_redis):
    """Nobody visits after five readers: the flusher threads write their counts all the same."""
    article = make_article()
    with portal(durable_redis.url) as base_url:
        assert readers(base_url + article.get_absolute_url(), 5) == [200] * 5
        sent = time.monotonic()
        assert settles_at(article, (5, 5), seconds=5) == (5, 5)
        assert time.monotonic() - sent < 3


@pytest.mark.parametrize("stop", ["kill -9", "shutdown nosave"])
def test_views_stay_exact_when_redis_goes_away_and_comes_back(durable_redis, stop):
    """Readers before the stop, while Redis is away and after it is back: every view counted once.
    `kill -9` loses at most the last second before the append-only file's fsync (the test waits
    that second); SHUTDOWN NOSAVE loses nothing."""
    article = make_article()
    url = None
    with portal(durable_redis.url) as base_url:
        url = base_url + article.get_absolute_url()
        assert readers(url, 30) == [200] * 30
        if stop == "kill -9":
            time.sleep(1.2)  # appendfsync everysec
            durable_redis.kill()
        else:
            durable_redis.shutdown_nosave()
        assert readers(url, 20) == [200] * 20  # pages answer, counted in the database or kept for later
        durable_redis.start()
        time.sleep(5.5)  # the workers try Redis again after REDIS_RETRY_SECONDS
        assert readers(url, 20) == [200] * 20
        assert settles_at(article, (70, 70)) == (70, 70)
    assert not DeferredCount.objects.exists()


def test_a_stalled_redis_counts_every_view_once(durable_redis):
    """Redis stops answering for 1.5 s (its replies arrive after the client timeout, or never reach
    it): readers get their pages, and every view is counted exactly once afterwards."""
    article = make_article()
    with portal(durable_redis.url) as base_url:
        url = base_url + article.get_absolute_url()
        assert readers(url, 10) == [200] * 10
        redis.Redis.from_url(durable_redis.url).execute_command("CLIENT", "PAUSE", 1500, "ALL")
        assert readers(url, 12) == [200] * 12
        time.sleep(5.5)
        assert readers(url, 8) == [200] * 8
        assert settles_at(article, (30, 30)) == (30, 30)
