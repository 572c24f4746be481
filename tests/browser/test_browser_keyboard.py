"""A keyboard-only reader: menu → article → rating → poll, without touching the mouse."""

import pytest

from tests.browser.helpers import tab_to
from tests.factories import make_article, make_category, make_poll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page):
    return page.evaluate("(document.activeElement.innerText || document.activeElement.value || '').trim()")


def test_keyboard_only_menu_to_article_to_rating_to_poll(page):
    """Tab and Enter reach a sub-category from the menu, open an article, rate it and vote in the poll."""
    category = make_category("Nông thôn mới")
    article = make_article("Xã Như Hòa đạt chuẩn nông thôn mới", category=category)
    make_poll("Bạn đọc tin trên thiết bị nào?", choices=("Điện thoại", "Máy tính", "Máy tính bảng"))

    page.goto("/")
    tab_to(page, "Tin tức - Sự kiện")
    tab_to(page, "Nông thôn mới", limit=5)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{category.get_absolute_url()}")
    tab_to(page, article.title)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{article.get_absolute_url()}")

    # Rating: Tab reaches the stars, arrow keys choose 4 without sending, Enter sends it.
    tab_to(page, "1 sao")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    rating = page.locator("form.rating")
    assert rating.get_by_label("4 sao").is_checked()
    assert rating.locator(".rating__summary").inner_text() == "0 điểm ( 0 đánh giá )", "arrows only choose"
    page.keyboard.press("Enter")
    rating.get_by_text("4,0 điểm ( 1 đánh giá )").wait_for()

    # Poll: Tab reaches the first option; arrow keys move within the radio group.
    tab_to(page, "Điện thoại")
    assert page.evaluate("document.activeElement.type") == "radio"
    page.keyboard.press("ArrowDown")
    assert page.get_by_role("region", name="Bình chọn").get_by_label("Máy tính", exact=True).is_checked()
    page.keyboard.press("Tab")
    assert focused(page) == "Bình chọn"
    page.keyboard.press("Enter")
    poll = page.get_by_role("region", name="Bình chọn")
    poll.get_by_text("Cảm ơn bạn đã tham gia bình chọn.").wait_for()
    assert page.evaluate("!!document.activeElement.closest('.poll-block')"), "focus stays with the results"
