"""Every admin page a superuser can open, with demo content: Vietnamese only, times in Vietnam time."""

import re

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from reversion.admin import VersionAdmin
from reversion.models import Version

from feedback.models import Feedback
from news.models import Article
from tests.factories import first_unit, make_staff

pytestmark = pytest.mark.django_db

# English words the admin must never show (matched as whole words in the visible text).
ENGLISH = (
    "Add",
    "Change",
    "Delete",
    "History",
    "Status",
    "Attempted",
    "Access",
    "superuser",
    "models",
    "Save",
    "Recover",
    "Revert",
    "Failed",
    "Yes",
    "No",
    "None",
    "True",
    "False",
    "Log",
    "Axes",
)
ENGLISH_RE = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b")
UTC_OFFSET = re.compile(r"[+-]00:00\b|\bUTC\b")


def visible_text(html):
    """The page's text a reader sees: no scripts, styles, tags or attribute values (titles and alts kept)."""
    html = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", html)
    attributes = " ".join(re.findall(r'(?:title|alt|aria-label|placeholder|value)="([^"]*)"', html))
    html = re.sub(r'(?i)<(option|input)[^>]*value="[^"]*"', "<\\1", html)
    return re.sub(r"<[^>]+>", " ", html) + " " + attributes


def admin_pages(user):
    """Each registered model's list, add form and first object's change form and history."""
    request = RequestFactory().get("/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{name}_changelist")
        if model_admin.has_add_permission(request):
            yield reverse(f"{name}_add")
        obj = model_admin.get_queryset(request).first()
        if obj is not None:
            yield reverse(f"{name}_change", args=[obj.pk])
            yield reverse(f"{name}_history", args=[obj.pk])
        if isinstance(model_admin, VersionAdmin):
            yield reverse(f"{name}_recoverlist")
    yield reverse("admin:index")
    yield reverse("admin:password_change")
    # An article's revision, its comparison with the one before, and the recover form (an article
    # of the unit the test client's host names: the demo has several).
    article = Article.every_unit.published().filter(unit=first_unit()).first()
    for title in ("Tiêu đề một", "Tiêu đề hai"):
        with reversion.create_revision():
            article.title = title
            article.save()
    older, newer = sorted(Version.objects.get_for_object(article), key=lambda version: version.pk)
    yield reverse("admin:news_article_revision", args=[article.pk, older.pk])
    yield reverse("admin:news_article_compare", args=[article.pk, older.pk, newer.pk])


@pytest.fixture
def demo(client):
    call_command("seed_demo", verbosity=0)
    who = {"user_agent": "Firefox", "ip_address": "203.0.113.5", "username": "bientap", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**who, get_data="", post_data="", failures_since_start=5)
    AccessFailureLog.objects.create(**who, locked_out=True)
    AccessLog.objects.create(**who, logout_time=timezone.now())
    Feedback.objects.create(name="Lê An", address="Kim Sơn", phone="0912345678", title="Đèn", content="Hỏng")
    client.user = make_staff("quantri", superuser=True)
    client.force_login(client.user)
    return client


def test_every_admin_page_is_vietnamese_and_in_local_time(demo):
    """No English word from the list and no UTC time on any admin page a superuser opens."""
    problems = []
    for url in admin_pages(demo.user):
        response = demo.get(url, follow=True)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        english = sorted(set(ENGLISH_RE.findall(text)))
        utc = UTC_OFFSET.findall(text)
        if english or utc:
            problems.append(f"{url}: {english} {utc}")
    assert not problems, "\n".join(problems)


def test_feedback_log_titles_are_in_local_time():
    """A log entry at 07:51 UTC is titled 14:51, like the times beside it."""
    from datetime import UTC, datetime

    from feedback.models import FeedbackLog

    feedback = Feedback.objects.create(name="Lê An", address="Kim Sơn", phone="0912345678", title="Đèn", content="x")
    log = FeedbackLog.objects.create(feedback=feedback, at=datetime(2026, 12, 1, 7, 51, tzinfo=UTC), changes="x")
    assert str(log) == f"{feedback.code} · 01/12/2026 14:51"


def test_site_settings_open_straight_on_their_form(client):
    """ "Cấu hình trang" has one row: its list goes straight to that row's form."""
    from portal.models import SiteSettings

    client.force_login(make_staff("quantri", superuser=True))
    response = client.get(reverse("admin:portal_sitesettings_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:portal_sitesettings_change", args=[SiteSettings.load().pk])
