"""The article's tools in a real browser: copy link, In bài, the print stylesheet, no-JS fallback.

Self-contained (Chromium at /usr/bin/chromium driven by Playwright, a live server on 127.0.0.1 at
a free port); skipped with the reason when either is missing, failed instead under CI=true.
"""

import os

import pytest

from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"


def _missing(reason):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed: pip install -r requirements/test.txt")
    if not os.access(CHROMIUM, os.X_OK):
        _missing(f"no Chromium at {CHROMIUM}")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="module")
def server():
    from pytest_django.live_server_helper import LiveServer

    live = LiveServer("127.0.0.1")
    yield live
    live.stop()


@pytest.fixture
def article_page(chromium, server):
    """Opens a published article in a fresh browser context; yields (page, article address)."""
    contexts = []

    def open_page(javascript=True):
        article = make_article("Sơ kết cụm thi đua số 1", author="Mai Hoa")
        context = chromium.new_context(
            base_url=server.url, user_agent=USER_AGENT, locale="vi-VN", java_script_enabled=javascript
        )
        contexts.append(context)
        if javascript:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
        page = context.new_page()
        page.goto(article.get_absolute_url())
        return page, server.url + article.get_absolute_url()

    yield open_page
    for context in contexts:
        context.close()


def test_copy_link_copies_the_address_and_says_so(article_page):
    """ "Sao chép liên kết" puts the article's address on the clipboard and confirms in Vietnamese."""
    page, url = article_page()
    page.get_by_role("button", name="Sao chép liên kết").click()
    page.get_by_text("Đã sao chép liên kết").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert not page.locator(".share__address").is_visible()


def test_print_button_opens_the_browser_print(article_page):
    """ "In bài" calls the browser's print (which also offers "Save as PDF")."""
    page, _ = article_page()
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="In bài").click()
    assert page.evaluate("window.printed === true")


def test_save_button_opens_the_print_dialog_with_a_hint(article_page):
    """ "Lưu bài" sits next to "In bài", opens the print dialog and tells how to get a PDF."""
    page, _ = article_page()
    page.evaluate("window.print = () => { window.printed = true; }")
    save = page.get_by_role("button", name="Lưu bài")
    assert save.is_visible()
    assert save.get_attribute("title") == "Chọn 'Lưu dưới dạng PDF' trong hộp thoại in"
    save.click()
    assert page.evaluate("window.printed === true")


def test_printout_names_the_portal_and_leaves_out_the_rating_form(article_page):
    page, _ = article_page()
    assert not page.locator(".print-header").is_visible()
    assert page.locator("#danh-gia").is_visible()
    page.emulate_media(media="print")
    header = page.locator(".print-header")
    assert header.is_visible()
    assert header.inner_text() == "TRANG THÔNG TIN ĐIỆN TỬ HUYỆN KIM SƠN"  # site title + unit
    assert not page.locator("#danh-gia").is_visible()
    assert not page.locator(".rating__star").first.is_visible()


def test_printed_article_has_no_menu_or_sidebar_but_keeps_byline_and_address(article_page):
    """With print media: the frame is gone, the article, byline and its address remain."""
    page, url = article_page()
    page.emulate_media(media="print")
    for hidden in (".banner", ".menu", ".sidebar", ".footer", ".share"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".article__title").is_visible()
    assert page.locator(".article__author").inner_text() == "Mai Hoa"
    assert page.locator(".print-url").is_visible()
    assert url in page.locator(".print-url").inner_text()
    assert page.pdf(format="A4")[:4] == b"%PDF"


def test_without_javascript_the_address_is_shown_to_copy(article_page):
    """No JavaScript: no dead buttons, the address in a read-only field instead."""
    page, url = article_page(javascript=False)
    assert not page.get_by_role("button", name="Sao chép liên kết").is_visible()
    assert not page.get_by_role("button", name="In bài").is_visible()
    assert page.locator("#share-address").input_value() == url
    assert page.locator("#share-address").is_visible()
    assert not page.locator(".print-url").is_visible()
