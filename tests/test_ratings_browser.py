"""ratings.js in a real browser: the star block rates and updates without reloading the page."""

import pytest

from ratings.models import RatingSummary
from tests.factories import make_article
from tests.test_polls_browser import page  # noqa: F401 - the shared Chromium page fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_rating_with_javascript_updates_the_block_in_place(page):  # noqa: F811
    """Pick four stars and send: the summary and "your stars" change, the page never reloads."""
    article = make_article("Bài để đánh giá")
    page.goto(article.get_absolute_url())
    block = page.locator("#danh-gia")
    assert "0 điểm ( 0 đánh giá )" in block.inner_text()
    page.evaluate("window.notReloaded = true")
    block.get_by_label("4 sao").check()
    block.get_by_role("button", name="Gửi đánh giá").click()
    block.get_by_text("4,0 điểm ( 1 đánh giá )").wait_for()
    assert "Bạn đã chấm 4 sao." in block.inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert RatingSummary.objects.get(article=article).votes == 1

    block.get_by_label("2 sao").check()
    block.get_by_role("button", name="Gửi đánh giá").click()
    block.get_by_text("2,0 điểm ( 1 đánh giá )").wait_for()
    page.reload()
    assert "2,0 điểm ( 1 đánh giá )" in page.locator("#danh-gia").inner_text()
    assert page.locator("#danh-gia input[value='2']").is_checked()
