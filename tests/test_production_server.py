"""gunicorn with production settings (DEBUG=0) behind a TLS proxy: real responses, real headers."""

import http.client
import json
import re
from urllib.parse import urlsplit

import pytest

from tests.factories import make_article, make_staff
from tests.live import gunicorn_server, production_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory, media_root):
    """One production server for the module; each test commits the data it needs."""
    env = production_env(tmp_path_factory.mktemp("static"), MEDIA_ROOT=str(media_root))
    with gunicorn_server(workers=2, env=env) as base_url:
        yield base_url


@pytest.fixture
def cached_server(django_db_setup, tmp_path_factory, redis_url):
    """The same with Redis: pages come from the Redis page cache from their second request on.

    Stopped with its test: its flusher threads write counts to the database a second later, which
    would meet the next test's emptying of the tables (a deadlock seen once in CI)."""
    env = production_env(tmp_path_factory.mktemp("static"), REDIS_URL=redis_url, LIVE_KEY_PREFIX="production-test")
    with gunicorn_server(workers=2, env=env) as base_url:
        yield base_url


def request(base_url, path, method="GET", https=True, headers=None, body=None):
    """One request without following redirects; https=True means 'arrived through the TLS proxy'."""
    netloc = urlsplit(base_url).netloc
    connection = http.client.HTTPConnection(netloc, timeout=10)
    all_headers = {"User-Agent": BROWSER, **({"X-Forwarded-Proto": "https"} if https else {}), **(headers or {})}
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    response.text = response.read().decode("utf-8", "replace")
    connection.close()
    return response


def cookie(response, name):
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith(name + "="):
            return header
    raise AssertionError(f"no {name} cookie in {response.headers}")


def cookie_attributes(response, name):
    """The attributes of a cookie but its value and the moment it expires."""
    attributes = (part.strip() for part in cookie(response, name).split(";")[1:])
    return sorted(part for part in attributes if not part.lower().startswith("expires="))


def test_pages_carry_the_security_headers(server):
    """Home and article pages under gunicorn send HSTS, CSP and the other security headers."""
    article = make_article("Hội nghị triển khai nhiệm vụ năm 2025")
    for path in ("/", article.get_absolute_url()):
        response = request(server, path)
        assert response.status == 200, path
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy + ";"
        assert "unsafe-inline" not in policy
        assert "upgrade-insecure-requests" in policy
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "microphone=()" in response.headers["Permissions-Policy"]
    assert "Hội nghị triển khai nhiệm vụ năm 2025" in response.text


def test_pages_from_the_redis_page_cache_carry_the_same_headers_and_cookies(cached_server):
    """A new browser gets the same headers and cookie attributes whether the page was rendered or cached."""
    article = make_article("Hội nghị triển khai nhiệm vụ năm 2025")
    for path in ("/", article.get_absolute_url()):
        rendered, cached = request(cached_server, path), request(cached_server, path)
        assert rendered.status == cached.status == 200
        assert {name for name, _ in cached.getheaders()} == {name for name, _ in rendered.getheaders()}
        for name, value in rendered.getheaders():
            if name not in ("Date", "Content-Length", "Set-Cookie"):
                assert cached.headers[name] == value, name
        assert int(cached.headers["Content-Length"]) == len(cached.text.encode())
        for name in ("kv", "csrftoken") if path != "/" else ("kv",):
            assert cookie_attributes(cached, name) == cookie_attributes(rendered, name)
    assert "2 lượt xem" in cached.text


def test_plain_http_is_sent_to_https_but_health_checks_are_not(server):
    """A page asked for over plain HTTP redirects to https; /healthz answers for load balancers."""
    page = request(server, "/", https=False)
    assert page.status == 301
    assert page.headers["Location"].startswith("https://")
    health = request(server, "/healthz", https=False)
    assert (health.status, json.loads(health.text)) == (200, {"database": "ok", "redis": "off"})
    # A load balancer asks by the machine's address, which is no allowed host: only /healthz answers.
    by_ip = {"Host": "10.0.0.5:8000"}
    assert request(server, "/healthz", https=False, headers=by_ip).status == 200
    assert request(server, "/", headers=by_ip).status == 400


def test_cookies_are_secure_and_the_session_cookie_http_only(server, settings):
    """The visitor, CSRF and session cookies are Secure; session and visitor cookies are HttpOnly."""
    # The server process knows the default hashers only, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    make_staff("bientap", superuser=True)
    home = request(server, "/")
    assert "; Secure" in cookie(home, "kv")
    assert "HttpOnly" in cookie(home, "kv")
    login_page = request(server, "/admin/login/")
    csrf_cookie = cookie(login_page, "csrftoken")
    assert "; Secure" in csrf_cookie
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    logged_in = request(
        server,
        "/admin/login/",
        method="POST",
        headers={
            "Cookie": csrf_cookie.split(";")[0],
            "Origin": "https://" + urlsplit(server).netloc,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=f"csrfmiddlewaretoken={token}&username=bientap&password=pw-bientap&next=/admin/",
    )
    assert logged_in.status == 302
    session_cookie = cookie(logged_in, "sessionid")
    assert "; Secure" in session_cookie
    assert "HttpOnly" in session_cookie


def test_static_files_are_hashed_compressed_and_cached_for_years(server):
    """The stylesheet has a content hash in its name, comes gzipped and may be cached for a year or more."""
    home = request(server, "/")
    css_path = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home.text).group(1)
    css = request(server, css_path, headers={"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert css.headers["Content-Encoding"] == "gzip"
    max_age = int(re.search(r"max-age=(\d+)", css.headers["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in css.headers["Cache-Control"]


def test_media_is_not_served_by_django_in_production(server, media_root):
    """Uploaded files are the web server's job in production: Django answers 404 for them."""
    (media_root / "uploads").mkdir(parents=True)
    (media_root / "uploads" / "anh.txt").write_text("x")
    assert request(server, "/media/uploads/anh.txt").status == 404
