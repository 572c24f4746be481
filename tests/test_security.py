"""Security headers on every page and the production settings' refusal of a weak SECRET_KEY."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k7#Qz9@vLw2!xR4$mN8^pT6&yB3*cF5(hJ1)dG0-sA+eU7=iO9"

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_public_page_sends_security_headers(client):
    """The home page forbids framing, MIME sniffing, inline scripts and unused browser features."""
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_article_page_has_no_inline_script(client):
    """An article page only loads scripts from files, which the policy allows."""
    article = make_article("Tiếp công dân định kỳ")
    page = client.get(article.get_absolute_url()).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts, "the page loads its scripts"
    for tag in scripts:
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_admin_allows_editor_styles_but_still_no_inline_scripts(client):
    """CKEditor 5 in the admin may inject styles; scripts stay restricted to the site's files."""
    csp = directives(client.get(reverse("admin:login")))
    assert "'unsafe-inline'" in csp["style-src"]
    assert "blob:" in csp["img-src"]
    assert csp["script-src"] == ["'self'"]


def test_public_pages_do_not_get_the_admin_allowances(client):
    """A public path that merely contains 'admin' is not treated as the admin."""
    csp = directives(client.get("/tin-tuc/admin/"))
    assert csp["style-src"] == ["'self'"]


def run_python(code, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "key",
    [None, "dev-only-insecure-key-change-me", "short-key-123", "django-insecure-" + "x1y2z3" * 10, "a" * 60],
    ids=["missing", "development default", "too short", "django-insecure", "one repeated character"],
)
def test_production_refuses_to_start_without_a_real_secret_key(key):
    """DEBUG=0 with a missing, development or weak SECRET_KEY stops the app at start-up."""
    env = {"DEBUG": "0"} | ({"SECRET_KEY": key} if key is not None else {})
    result = run_python("import kimson_portal.settings", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    """`manage.py check --deploy` reports nothing with DEBUG=0 and a real key."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "0", "SECRET_KEY": STRONG_KEY},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_secure_cookies_and_hsts():
    """With DEBUG=0 cookies are Secure, the session cookie HttpOnly, and HSTS lasts a year."""
    code = (
        "import kimson_portal.settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    assert run_python(code, DEBUG="0", SECRET_KEY=STRONG_KEY).stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "None",
    ]
    behind_proxy = run_python(code, DEBUG="0", SECRET_KEY=STRONG_KEY, TRUST_X_FORWARDED_PROTO="1").stdout
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in behind_proxy


def test_templates_only_reference_static_files_that_exist():
    """Every {% static '...' %} in the templates names a real file (hashed storage fails otherwise)."""
    referenced = set()
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        referenced |= {m for m in re.findall(r"""{%\s*static\s+['"]([^'"]+)['"]""", template.read_text())}
    assert "css/site.css" in referenced
    missing = sorted(name for name in referenced if not finders.find(name))
    assert missing == []


def test_media_goes_to_object_storage_when_a_bucket_is_set():
    """MEDIA_BUCKET switches uploads to S3-compatible storage, and the policy allows its images."""
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.core.files.storage import storages\n"
        "print(type(storages['default']).__name__, storages['default'].url('uploads/anh.jpg'))\n"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="kimson_portal.settings",
        MEDIA_BUCKET="kimson-media",
        MEDIA_DOMAIN="media.kimson.example",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "UnitS3Storage https://media.kimson.example/media/uploads/anh.jpg", result.stderr
    assert "https://media.kimson.example" in lines[1]


def csp_headers(process_response, path, status=200, nonce=False, **own):
    """The CSP headers `process_response` (a middleware's) writes for a GET of `path`."""
    from csp.constants import HEADER, HEADER_REPORT_ONLY
    from django.http import HttpResponse
    from django.test import RequestFactory

    from portal.security import ContentSecurityPolicyMiddleware

    request = RequestFactory().get(path)
    ContentSecurityPolicyMiddleware(lambda request: None).process_request(request)
    if nonce:
        str(request.csp_nonce)
    response = HttpResponse(status=status)
    for name, value in own.items():
        setattr(response, name, value)
    process_response(request, response)
    if not nonce:
        with pytest.raises(Exception, match="not available after the CSP header"):
            str(request.csp_nonce)  # asked for too late, as django-csp makes it
    # Each request has its own nonce: compared as "nonce-…".
    return tuple(
        re.sub(r"'nonce-[^']+'", "'nonce-…'", value) if value else value
        for value in (response.get(HEADER), response.get(HEADER_REPORT_ONLY))
    )


@pytest.mark.parametrize(
    "case",
    [
        {"path": "/"},
        {"path": "/tin-tuc/", "status": 404},
        {"path": "/admin/login/"},
        {"path": "/", "nonce": True},
        {"path": "/", "_csp_update": {"img-src": ["https://anh.example.vn"]}},
        {"path": "/", "_csp_replace_ro": {"default-src": ["'self'"]}},
        {"path": "/", "_csp_exempt": True},
    ],
)
def test_the_kept_policy_is_what_django_csp_writes(case, settings):
    """A public response with nothing of its own takes the policies built once; whatever the
    response, the headers are those django-csp's own path writes for it, before and after the
    settings change."""
    from csp.middleware import CSPMiddleware

    from portal.security import ContentSecurityPolicyMiddleware

    case = {**case, "path": case["path"].replace("/admin/", "/" + settings.ADMIN_URL)}
    ours = ContentSecurityPolicyMiddleware(lambda request: None)

    def theirs(request, response):
        return CSPMiddleware.process_response(ours, request, response)

    csp_headers(ours.process_response, "/")  # the policies kept from a plain page
    for _ in range(2):
        assert csp_headers(ours.process_response, **case) == csp_headers(theirs, **case)
    from csp.constants import NONCE

    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'", "https://cdn.example.vn"], "script-src": ["'self'", NONCE]}
    }
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"script-src": ["'self'"]}}
    csp_headers(ours.process_response, "/")
    changed = csp_headers(ours.process_response, **case)
    assert changed == csp_headers(theirs, **case)
    if not case.get("_csp_exempt"):
        assert "cdn.example.vn" in changed[0]
        assert ("'nonce-…'" in changed[0]) == bool(case.get("nonce"))
