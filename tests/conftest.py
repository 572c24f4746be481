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


@pytest.fixture(scope="session")
def redis_url():
    """URL of a throwaway Redis for this test session; skips (fails on CI) without redis-server."""
    import os
    import shutil

    from tests.live import redis_server

    if shutil.which("redis-server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is required on CI")
        pytest.skip("redis-server is not installed")
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
