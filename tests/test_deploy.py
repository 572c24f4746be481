"""The production recipe in deploy/, exercised: the files rendered for a temporary prefix, the
processes their systemd units start (gunicorn, the timers' jobs) run as the units say, behind
Debian's nginx with the site file, over TLS with a throwaway certificate."""

import http.client
import json
import os
import re
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import time

import pytest

from tests.factories import make_article
from tests.live import ROOT, TEST_PRODUCTION_SECRET_KEY, database_url, free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
HOST = "kimson.example.vn"


def read_unit(name):
    """{key: value} of a systemd unit's [Service] (and other) lines; later keys win."""
    values = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def read_env_file(path):
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (quotes removed, comments skipped)."""
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            env[key] = shlex.split(value)[0] if value[:1] in "\"'" else value
    return env


class Deployment:
    """deploy/ rendered under `tmp`: the same files with the production paths moved there."""

    def __init__(self, tmp, redis_url):
        self.tmp = tmp
        self.gunicorn_port, self.http_port, self.https_port = free_port(), free_port(), free_port()
        self.paths = {
            "/srv/kimson/venv": sys.prefix,
            "/srv/kimson/app": str(ROOT),
            "/srv/kimson": str(tmp / "srv"),
            "/etc/kimson": str(tmp / "etc"),
            "/var/backups/kimson": str(tmp / "backups"),
            f"/etc/letsencrypt/live/{HOST}": str(tmp / "tls"),
            "127.0.0.1:8000": f"127.0.0.1:{self.gunicorn_port}",
        }
        for folder in ("srv/media", "srv/private-media", "srv/static", "etc", "backups", "tls", "nginx"):
            (tmp / folder).mkdir(parents=True, exist_ok=True)
        env_file = self.render((DEPLOY / "kimson.env.example").read_text())
        overrides = {
            "SECRET_KEY": TEST_PRODUCTION_SECRET_KEY,
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "DATABASE_URL": database_url(),
            # The example's two Redis (page cache, counters) are this test's own one.
            "PAGE_CACHE_REDIS_URL": redis_url,
            "COUNTERS_REDIS_URL": redis_url,
            "LIVE_KEY_PREFIX": f"deploy-test-{self.gunicorn_port}",
            "WEB_CONCURRENCY": "2",
            # The unit relies on gunicorn.conf.py's default, 127.0.0.1:8000, where the site file points.
            "GUNICORN_BIND": f"127.0.0.1:{self.gunicorn_port}",
        }
        lines = [line for line in env_file.splitlines() if line.split("=", 1)[0] not in overrides]
        lines += [f"{key}={shlex.quote(value)}" for key, value in overrides.items()]
        (tmp / "etc" / "kimson.env").write_text("\n".join(lines) + "\n")
        manage = tmp / "kimson-manage"
        manage.write_text(self.render((DEPLOY / "kimson-manage").read_text()))
        manage.chmod(0o755)

    def render(self, text):
        for production, here in self.paths.items():
            text = text.replace(production, here)
        return text

    def environment(self):
        """What systemd gives a unit's process: the environment file, on a clean environment."""
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "HOME", "TMPDIR")}
        return {**keep, **read_env_file(self.tmp / "etc" / "kimson.env")}

    def command(self, unit, key="ExecStart"):
        line = self.render(read_unit(unit)[key]).replace("%%", "%").replace("$$", "$")
        return shlex.split(line)

    def run_unit(self, unit):
        values = read_unit(unit)
        for key in ("ExecStart", "ExecStartPost"):
            if key in values:
                subprocess.run(
                    self.command(unit, key),
                    cwd=self.render(values["WorkingDirectory"]),
                    env=self.environment(),
                    check=True,
                    capture_output=True,
                    timeout=120,
                )

    def manage(self, *args):
        env = {**os.environ, "KIMSON_USER": subprocess.check_output(["id", "-un"], text=True).strip()}
        return subprocess.run(
            [str(self.tmp / "kimson-manage"), *args], env=env, capture_output=True, text=True, timeout=300
        )

    def nginx_config(self):
        site = self.render((DEPLOY / "nginx" / "kimson.conf").read_text())
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.http_port};")
        site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{self.https_port} ssl http2;")
        site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)
        (self.tmp / "nginx" / "kimson.conf").write_text(site)
        temp = self.tmp / "nginx"
        main = f"""
daemon off;
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {temp}/nginx.pid;
error_log {temp}/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {temp}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {temp}/kimson.conf;
}}
"""
        (temp / "nginx.conf").write_text(main)
        return temp / "nginx.conf"


def wait_for(port, process, what, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"{what} did not start: {process.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.2)


def get(port, path, https=True, host=HOST):
    if https:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": host, "User-Agent": "Mozilla/5.0 Firefox/130.0"})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.fixture
def rendered(tmp_path, redis_url):
    return Deployment(tmp_path, redis_url)


@pytest.fixture
def deployment(rendered, tmp_path):
    if NGINX is None:
        pytest.skip("needs nginx: apt-get install nginx")
    if shutil.which("openssl") is None:
        pytest.skip("needs openssl for the test certificate: apt-get install openssl")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
         "-keyout", str(tmp_path / "tls" / "privkey.pem"), "-out", str(tmp_path / "tls" / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    return rendered


def test_the_units_processes_behind_nginx_serve_the_portal_and_stop_cleanly(deployment, tmp_path):
    article = make_article("Khánh thành cầu Kim Đông")
    prepared = deployment.manage("collectstatic", "--noinput", "--verbosity", "0")
    assert prepared.returncode == 0, prepared.stderr
    checked = deployment.manage("check", "--deploy")
    assert checked.returncode == 0 and "no issues" in checked.stdout, checked.stdout + checked.stderr
    (tmp_path / "srv" / "media" / "anh.jpg").write_bytes(b"\xff\xd8\xff\xe0 an image")
    (tmp_path / "srv" / "private-media" / "don.pdf").write_bytes(b"%PDF-1.4 private")

    unit = read_unit("kimson-gunicorn.service")
    gunicorn = subprocess.Popen(
        deployment.command("kimson-gunicorn.service"),
        cwd=deployment.render(unit["WorkingDirectory"]),
        env=deployment.environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    nginx = None
    try:
        wait_for(deployment.gunicorn_port, gunicorn, "gunicorn")
        nginx = subprocess.Popen(
            [NGINX, "-e", str(tmp_path / "nginx" / "startup.log"), "-c", str(deployment.nginx_config())],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for(deployment.https_port, nginx, "nginx")
        https = deployment.https_port

        home = get(https, "/")
        assert home.status == 200 and "Khánh thành cầu Kim Đông" in home.body.decode()
        assert get(https, article.get_absolute_url()).status == 200
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home.body.decode()).group(1)
        static = get(https, stylesheet)
        assert static.status == 200
        assert "immutable" in static.headers["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", static.headers["Cache-Control"]).group(1)) >= 365 * 86400
        media = get(https, "/media/anh.jpg")
        assert (media.status, media.body) == (200, b"\xff\xd8\xff\xe0 an image")
        assert (
            media.headers["X-Content-Type-Options"] == "nosniff" and "max-age=2592000" in media.headers["Cache-Control"]
        )
        assert get(https, "/private-media/don.pdf").status == 404
        assert get(https, "/media/../private-media/don.pdf").status in (400, 404)

        plain = get(deployment.http_port, "/", https=False)
        assert plain.status == 301 and plain.headers["Location"].startswith("https://")
        health = get(deployment.http_port, "/healthz", https=False, host="10.0.0.5")
        assert (health.status, json.loads(health.body)) == (200, {"database": "ok", "redis": "ok"})
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=20)
        gunicorn.send_signal(signal.SIGTERM)  # what systemd sends on stop (KillMode=mixed)
        returncode = gunicorn.wait(timeout=40)
    log = gunicorn.stderr.read().decode()
    assert returncode == 0, log[-2000:]
    assert "Traceback" not in log, log[-2000:]
    assert nginx.returncode == 0


def test_the_timers_jobs_run_as_their_units_say(rendered, tmp_path):
    make_article("Bài viết được sao lưu")
    rendered.run_unit("kimson-clearsessions.service")
    rendered.run_unit("kimson-erase-personal-data.service")
    rendered.run_unit("kimson-backup.service")
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1 and (backups[0] / "manifest.json").is_file()
    assert json.loads((backups[0] / "manifest.json").read_text())["tables"]["news_article"] == 1


def test_every_unit_and_timer_in_deploy_is_exercised():
    """A unit added to deploy/ must be added to the tests above."""
    units = {path.name for path in (DEPLOY / "systemd").iterdir()}
    assert units == {
        "kimson-gunicorn.service",
        "kimson-clearsessions.service",
        "kimson-clearsessions.timer",
        "kimson-erase-personal-data.service",
        "kimson-erase-personal-data.timer",
        "kimson-backup.service",
        "kimson-backup.timer",
    }
    for timer in ("kimson-clearsessions.timer", "kimson-erase-personal-data.timer", "kimson-backup.timer"):
        assert "OnCalendar" in read_unit(timer)
