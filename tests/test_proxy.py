"""The shipped nginx site in front of gunicorn with production settings: the client's address, for real.

nginx runs with deploy/nginx/kimson.conf, the file the README's deployment steps install (read
here, so the two cannot drift), with only its ports, certificate, media folder and upstream
replaced, and is stopped afterwards. Browsers are
cookie jars that load a page before posting its form, each from its own loopback address, which
is the address nginx sees as the client's.
"""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.factories import make_article, make_poll, make_staff
from tests.live import flush_counts, free_port, gunicorn_server, production_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
HOST = "kimson.example.vn"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
CLIENT_A, CLIENT_B, CLIENT_C = "127.0.0.2", "127.0.0.3", "127.0.0.4"
LIMITS = {
    "RATING_RATE": "3/m",
    "POLL_VOTE_RATE": "3/m",
    "FEEDBACK_RATE": "2/h",
    "FEEDBACK_MIN_FILL_SECONDS": "0",
    "LOGIN_ADDRESS_FAILURE_LIMIT": "3",
    "ENGAGEMENT_COUNT_RATE": "30/m",
}


def shipped_nginx_site():
    """deploy/nginx/kimson.conf, which the README's steps copy to /etc/nginx/sites-available/kimson."""
    readme = (ROOT / "README.md").read_text()
    assert "cp /srv/kimson/app/deploy/nginx/kimson.conf /etc/nginx/sites-available/kimson" in readme
    return (ROOT / "deploy" / "nginx" / "kimson.conf").read_text()


def self_signed_certificate(folder):
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


@contextmanager
def nginx_in_front_of(upstream, folder, media_root):
    """Debian's nginx with the shipped site on free ports; yields the HTTPS port."""
    if not Path(NGINX).exists() or shutil.which("openssl") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Debian's nginx and openssl for the proxy test")
        pytest.skip("needs Debian's nginx (/usr/sbin/nginx) and openssl")
    cert, key = self_signed_certificate(folder)
    http_port, https_port = free_port(), free_port()
    server_blocks = shipped_nginx_site()
    for shipped, here in {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(cert),
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(key),
        "/srv/kimson/media/": f"{media_root}/",
        "http://127.0.0.1:8000": upstream,
    }.items():
        assert shipped in server_blocks, f"deploy/nginx/kimson.conf no longer has {shipped!r}"
        server_blocks = server_blocks.replace(shipped, here)
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    config = folder / "nginx.conf"
    config.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        + "events { worker_connections 256; }\n"
        + "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        + f"    access_log {folder}/access.log;\n"
        + "".join(f"    {name}_temp_path {path};\n" for name, path in temp.items()).replace(
            "body_temp_path", "client_body_temp_path"
        )
        + server_blocks
        + "}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
                    raise RuntimeError("nginx did not start: " + process.stderr.read().decode() + log) from None
                time.sleep(0.05)
        yield https_port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def proxied(django_db_setup, tmp_path_factory, redis_url):
    """gunicorn with production settings, Redis and small limits, behind the shipped nginx site."""
    media_root = tmp_path_factory.mktemp("media")
    env = production_env(
        tmp_path_factory.mktemp("static"),
        MEDIA_ROOT=str(media_root),
        PRIVATE_MEDIA_ROOT=str(tmp_path_factory.mktemp("private")),
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=f"proxy-{uuid.uuid4().hex}",
        LIVE_KEY_PREFIX=f"proxy-{uuid.uuid4().hex}:live",
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        TRUSTED_PROXIES="127.0.0.1",
        # The module's tests flush counts themselves (flush_counts): the server's own flusher, a
        # second after a test, would write while the next test empties the tables.
        LIVE_FLUSH_MS="3600000",
        **LIMITS,
    )
    with gunicorn_server(workers=2, env=env) as upstream:
        with nginx_in_front_of(upstream, tmp_path_factory.mktemp("nginx"), media_root) as port:
            yield {"port": port, "upstream": upstream, "env": env}


class Browser:
    """One visitor's browser at one address: cookies kept, forms posted with the page's CSRF token."""

    statuses = []  # every answer any browser got, to check for 5xx

    def __init__(self, port, address):
        self.port, self.address = port, address
        self.cookies, self.page, self.token = {}, "/", None

    def send(self, method, path, fields=None, headers=None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.port,
            context=ssl._create_unverified_context(),
            source_address=(self.address, 0),
            timeout=30,
        )
        all_headers = {"Host": HOST, "User-Agent": BROWSER, "Accept": "text/html"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["Referer"] = f"https://{HOST}{self.page}"
        all_headers.update(headers or {})
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        self.statuses.append((method, path, response.status))
        return response

    def get(self, path, **headers):
        response = self.send("GET", path, headers=headers)
        self.page = path
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        self.token = found.group(1) if found else self.token
        return response

    def post(self, path, fields, **headers):
        return self.send("POST", path, {"csrfmiddlewaretoken": self.token, **fields}, headers)


def forged(n):
    """What a client puts in X-Forwarded-For to pose as someone else."""
    return {"X-Forwarded-For": f"203.0.113.{n}"}


def no_server_errors():
    errors = [answer for answer in Browser.statuses if answer[2] >= 500]
    assert errors == []


def test_ratings_are_limited_per_real_client_whatever_it_forges(proxied):
    """A's fourth rating in a minute is 429 although each came with another forged address; B still rates."""
    article = make_article("Hội nghị tổng kết công tác năm")
    url = urlsplit(article.get_absolute_url()).path
    a = Browser(proxied["port"], CLIENT_A)
    statuses = []
    for n in range(4):
        assert a.get(url, **forged(n)).status == 200
        statuses.append(a.post(f"/danh-gia/{article.pk}/", {"score": 4}, **forged(n)).status)
    assert statuses == [302, 302, 302, 429]
    b = Browser(proxied["port"], CLIENT_B)
    b.get(url)
    assert b.post(f"/danh-gia/{article.pk}/", {"score": 5}).status == 302
    no_server_errors()


def test_votes_are_limited_per_real_client_whatever_it_forges(proxied):
    """Three vote requests a minute from A, however it poses; B's vote is counted."""
    poll = make_poll()
    choice = poll.choices.first().pk
    a = Browser(proxied["port"], CLIENT_A)
    statuses = []
    for n in range(4):
        a.get(f"/binh-chon/{poll.pk}/", **forged(n))
        statuses.append(a.post(f"/binh-chon/{poll.pk}/bo-phieu/", {"choice": choice}, **forged(n)).status)
    assert statuses[0] in (200, 302, 303) and statuses[-1] == 429
    b = Browser(proxied["port"], CLIENT_B)
    b.get(f"/binh-chon/{poll.pk}/")
    assert b.post(f"/binh-chon/{poll.pk}/bo-phieu/", {"choice": choice}).status in (200, 302, 303)
    assert poll.choices.get(pk=choice).votes == 2
    no_server_errors()


def feedback_fields(n):
    return {
        "name": "Nguyễn Văn An",
        "address": "Xóm 5, xã Kim Định",
        "phone": "0912345678",
        "email": "",
        "title": f"Đề nghị sửa đường liên xóm số {n}",
        "content": "Đoạn đường xóm 5 có nhiều ổ gà.",
        "consent": "on",
        "website": "",
    }


def test_feedback_is_limited_per_real_client_whatever_it_forges(proxied):
    """Two accepted submissions an hour from A even when it forges its address; B may still send."""
    a = Browser(proxied["port"], CLIENT_A)
    statuses = []
    for n in range(3):
        page = a.get("/gop-y/", **forged(n))
        started = re.search(r'name="started" value="([^"]+)"', page.text).group(1)
        statuses.append(a.post("/gop-y/", {**feedback_fields(n), "started": started}, **forged(n)).status)
    assert statuses == [302, 302, 429]
    b = Browser(proxied["port"], CLIENT_B)
    page = b.get("/gop-y/")
    started = re.search(r'name="started" value="([^"]+)"', page.text).group(1)
    assert b.post("/gop-y/", {**feedback_fields(9), "started": started}).status == 302
    no_server_errors()


def test_login_lock_is_keyed_on_the_real_client(proxied, settings):
    """A's failures, each with another forged address, lock A's address; B logs in; axes records A's address."""
    from axes.models import AccessAttempt

    # The server process knows the default hashers only, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    make_staff("bientap")
    login = "/admin/login/?next=/admin/"
    a = Browser(proxied["port"], CLIENT_A)
    statuses = []
    for n in range(4):
        a.get(login, **forged(n))
        fields = {"username": f"canbo{n}", "password": "sai-mat-khau", "next": "/admin/"}
        statuses.append(a.post(login, fields, **forged(n)).status)
    assert statuses == [200, 200, 429, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}
    b = Browser(proxied["port"], CLIENT_B)
    b.get(login)
    assert b.post(login, {"username": "bientap", "password": "pw-bientap", "next": "/admin/"}).status == 302
    no_server_errors()


def test_the_redis_counting_limit_is_per_real_client(proxied, settings):
    """Counting of new views stops for the client that bursts, whatever it forges, not for the next one."""
    from news.models import Article

    burst, other = make_article("Tin được đọc dồn dập"), make_article("Tin khác")
    burst_url, other_url = (urlsplit(article.get_absolute_url()).path for article in (burst, other))
    statuses = [Browser(proxied["port"], CLIENT_C).get(burst_url, **forged(n)).status for n in range(40)]
    assert statuses == [200] * 40  # reading is never refused
    assert Browser(proxied["port"], CLIENT_B).get(other_url).status == 200
    flush_counts(settings, proxied["env"])
    views = dict(Article.objects.filter(pk__in=[burst.pk, other.pk]).values_list("pk", "view_count"))
    assert views[burst.pk] <= 30
    assert views[other.pk] == 1
    no_server_errors()


def read_raw_answer(port, request, tls):
    """Send one request on a raw connection and read until the server has been quiet for a moment."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if tls:
        sock = ssl._create_unverified_context().wrap_socket(sock, server_hostname=HOST)
    sock.sendall(request)
    sock.settimeout(1.5)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except TimeoutError:
        pass
    sock.close()
    return data


@pytest.mark.parametrize("through", ["gunicorn", "nginx"])
def test_head_answers_carry_no_body(proxied, through):
    """HEAD / gets the headers of GET /, Content-Length included, and not one byte after them."""
    make_article("Tin đầu trang")
    head = f"HEAD / HTTP/1.1\r\nHost: {HOST}\r\nUser-Agent: {BROWSER}\r\nX-Forwarded-Proto: https\r\n\r\n"
    if through == "gunicorn":
        port, tls = int(urlsplit(proxied["upstream"]).port), False
    else:
        port, tls = proxied["port"], True
    data = read_raw_answer(port, head.encode(), tls)
    headers, _, body = data.partition(b"\r\n\r\n")
    assert headers.startswith(b"HTTP/1.1 200"), headers[:200]
    length = int(re.search(rb"(?i)\r\ncontent-length: *(\d+)", headers).group(1))
    assert length > 1000
    assert body == b""
