"""The Content-Security-Policy in a real browser: pages and the admin's CKEditor 5 still work."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from news.models import Article
from tests.factories import make_article, make_category, make_document, make_poll, make_staff
from tests.live import gunicorn_server

CHROMIUM = "/usr/bin/chromium"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live, pytest.mark.browser]


@contextmanager
def new_page():
    """A Chromium page; opened after the test data is written (Playwright runs an event loop)."""
    if os.environ.get("CI") != "true":
        if not Path(CHROMIUM).exists():
            pytest.skip("Chromium is not installed at /usr/bin/chromium")
        pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser.new_page()
        finally:
            browser.close()


def watch_csp(page):
    """Collects the policy violations the browser reports on a page."""
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    return violations


def test_public_pages_run_under_the_policy_without_violations():
    """Public pages, with a poll in the sidebar, load their scripts and styles with no violation."""
    article = make_article("Ra quân làm sạch môi trường", category=make_category("Tin tổng hợp"))
    make_poll()
    document = make_document()
    paths = [
        "/",
        article.category.get_absolute_url(),
        "/gop-y/",
        "/van-ban/",
        document.get_absolute_url(),
        "/mot-cua/",
        "/gioi-thieu/",
        "/lien-he/",
        article.get_absolute_url(),
    ]
    with gunicorn_server(workers=1) as base_url, new_page() as page:
        violations = watch_csp(page)
        for path in paths:
            page.goto(base_url + path)
            page.wait_for_load_state("load")
        assert page.locator("h1").first.inner_text().strip() == "Ra quân làm sạch môi trường"
    assert violations == []


def test_admin_article_editor_works_under_the_policy(settings):
    """An editor logs in, types into CKEditor 5 and saves: the body arrives, nothing is blocked."""
    # The server process knows the default hashers only, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    make_staff("bientap-csp", superuser=True)
    make_category("Tin tổng hợp")
    with gunicorn_server(workers=1) as base_url, new_page() as page:
        violations = watch_csp(page)
        page.goto(base_url + "/admin/login/")
        page.fill("#id_username", "bientap-csp")
        page.fill("#id_password", "pw-bientap-csp")
        with page.expect_navigation():
            page.click("input[type=submit]")
        page.goto(base_url + "/admin/news/article/add/")
        editable = page.locator(".ck-editor__editable")
        editable.wait_for(state="visible", timeout=15000)
        assert page.locator(".ck-toolbar").is_visible()
        editable.click()
        page.keyboard.type("Nội dung gõ trong trình soạn thảo")
        page.click(".ck-toolbar [data-cke-tooltip-text*='Table'], .ck-toolbar [data-cke-tooltip-text*='bảng']")
        page.locator(".ck-insert-table-dropdown-grid-box").nth(11).click()
        assert page.locator(".ck-editor__editable table").count() == 1
        page.keyboard.type("ô bảng")
        page.fill("#id_title", "Bài viết thử trình soạn thảo")
        page.fill("#id_sapo", "Tóm tắt")
        page.select_option("#id_category", label="Tin tổng hợp")
        page.click("button[name=_transition][value=save_draft]")
        page.wait_for_load_state("load")
        assert "Bài viết thử trình soạn thảo" in page.content()
    assert "Nội dung gõ trong trình soạn thảo" in Article.objects.get(title="Bài viết thử trình soạn thảo").body
    assert violations == []
