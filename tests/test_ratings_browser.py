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
    assert block.get_by_role("button", name="Gửi đánh giá").count() == 0  # hidden: a click on a star sends
    block.get_by_label("4 sao").check()
    block.get_by_text("4,0 điểm ( 1 đánh giá )").wait_for()
    assert "Bạn đã chấm 4 sao." in block.inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert RatingSummary.objects.get(article=article).votes == 1

    block.get_by_label("2 sao").check()
    block.get_by_text("2,0 điểm ( 1 đánh giá )").wait_for()
    page.reload()
    assert "2,0 điểm ( 1 đánh giá )" in page.locator("#danh-gia").inner_text()
    assert page.locator("#danh-gia input[value='2']").is_checked()


def test_keyboard_moves_between_stars_without_sending_and_enter_sends(page):  # noqa: F811
    """Arrow keys only move the choice; Enter (or Space) sends the star that is chosen."""
    article = make_article("Bài chấm bằng bàn phím")
    page.goto(article.get_absolute_url())
    block = page.locator("#danh-gia")
    page.evaluate("window.notReloaded = true")
    block.get_by_label("1 sao").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert block.locator("input[value='4']").is_checked()
    page.wait_for_timeout(500)  # nothing is on its way
    assert not RatingSummary.objects.filter(article=article, votes__gt=0).exists()
    assert "0 điểm ( 0 đánh giá )" in block.inner_text()
    page.keyboard.press("Enter")
    block.get_by_text("4,0 điểm ( 1 đánh giá )").wait_for()
    assert page.evaluate("window.notReloaded") is True
    page.keyboard.press("ArrowLeft")
    page.keyboard.press(" ")
    block.get_by_text("3,0 điểm ( 1 đánh giá )").wait_for()
    assert RatingSummary.objects.get(article=article).votes == 1


def test_without_javascript_the_button_sends(client):
    """No JS: the plain form keeps its visible "Gửi đánh giá" button."""
    article = make_article("Bài không JS")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Gửi đánh giá</button>" in html and "rating__submit" in html
