"""polls.js in a real browser: the block votes and shows results without reloading the page."""

import os
from pathlib import Path

import pytest
from django.db import connections

from polls.models import Choice
from tests.factories import make_poll

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
# Headless Chromium names itself "HeadlessChrome", which the portal treats as a crawler.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


@pytest.fixture
def page(live_server, monkeypatch):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Chromium at {CHROMIUM}")
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls here stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(user_agent=USER_AGENT, base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(10000)
        yield page
        browser.close()
        # The test's ORM calls ran while Playwright's event loop was running, so Django kept their
        # connection apart from the thread's; left open, it stops the test database being dropped.
        connections.close_all()


def test_voting_in_the_sidebar_updates_the_block_without_reload(page):
    """Pick an option, press "Bình chọn": the block shows the results; the page never reloads."""
    poll = make_poll(choices=("Tin tức - Sự kiện", "Văn bản điện tử"))
    page.goto("/")
    block = page.locator(".poll-block")
    page.evaluate("window.notReloaded = true")

    block.get_by_role("button", name="Bình chọn").click()
    error = block.locator("[data-poll-error]")
    error.get_by_text("Vui lòng chọn một phương án.").wait_for()
    assert error.get_attribute("role") == "alert"

    block.get_by_label("Văn bản điện tử").check()
    block.get_by_role("button", name="Bình chọn").click()
    block.get_by_text("1 lượt (100,0%)").wait_for()
    assert "Cảm ơn bạn đã tham gia bình chọn." in block.inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert list(Choice.objects.filter(poll=poll).values_list("votes", flat=True)) == [0, 1]

    page.reload()
    assert page.locator(".poll-block form").count() == 0
    assert "1 lượt (100,0%)" in page.locator(".poll-block").inner_text()


def test_xem_ket_qua_shows_results_in_place_and_back_to_the_form(page):
    """ "Xem kết quả" swaps in the results; "Quay lại bình chọn" brings the form back."""
    make_poll(choices=("Có", "Không"))
    page.goto("/")
    block = page.locator(".poll-block")
    page.evaluate("window.notReloaded = true")
    block.get_by_role("link", name="Xem kết quả").click()
    block.get_by_text("Tổng số:").wait_for()
    assert "0 lượt (0,0%)" in block.inner_text()
    block.get_by_role("link", name="Quay lại bình chọn").click()
    block.get_by_label("Có").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.url.rstrip("/") == page.evaluate("location.origin")
