"""Views, visits and ratings in a real browser, as a reader sees them."""

import pytest

from tests.browser.helpers import number
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article():
    return make_article("Lễ hội truyền thống Nhà thờ đá Phát Diệm", view_count=147)


def views(page):
    return number(page.locator(".article__views").inner_text())


def test_home_to_article_counts_a_view_for_each_new_visitor(open_context, article):
    """Home → article shows "148 lượt xem" to the first visitor; a reload keeps it; a new visitor makes 149."""
    first = open_context().new_page()
    first.goto("/")
    first.get_by_role("link", name=article.title).first.click()
    first.wait_for_url(f"**{article.get_absolute_url()}")
    assert first.locator(".article__views").inner_text() == "148 lượt xem"
    first.reload()
    assert views(first) == 148, "the same visitor reloading is not a new view"

    second = open_context().new_page()
    second.goto(article.get_absolute_url())
    assert views(second) == 149
    first.reload()
    assert views(first) == 149


def test_visit_statistics_count_a_new_visitor(open_context, article):
    """The sidebar's "Lượt truy cập" grows by one for a new visitor, not for the same one's next page."""
    first = open_context().new_page()
    first.goto("/")
    stats = first.get_by_role("region", name="Thống kê truy cập")
    total = number(stats.get_by_text("Lượt truy cập").inner_text())
    first.goto(article.get_absolute_url())
    assert number(stats.get_by_text("Lượt truy cập").inner_text()) == total
    second = open_context().new_page()
    second.goto("/")
    assert (
        number(second.get_by_role("region", name="Thống kê truy cập").get_by_text("Lượt truy cập").inner_text())
        == total + 1
    )


def test_rate_four_stars_updates_the_block_without_reload(open_context, article):
    """Clicking the fourth star sends it at once and shows the new average, without reloading the page."""
    page = open_context().new_page()
    page.goto(article.get_absolute_url())
    block = page.locator("form.rating")
    assert block.locator(".rating__summary").inner_text() == "0 điểm ( 0 đánh giá )"
    page.evaluate("window.notReloaded = true")
    block.locator("label.rating__star").nth(3).click()  # the fourth star
    block.get_by_text("4,0 điểm ( 1 đánh giá )").wait_for()
    assert block.get_by_label("4 sao").is_checked()
    assert block.get_by_text("Bạn đã chấm 4 sao.").is_visible()
    assert block.locator(".rating__star.is-on").count() == 4
    assert page.evaluate("window.notReloaded") is True, "the page did not reload"

    page.reload()
    assert page.locator(".rating__summary").inner_text() == "4,0 điểm ( 1 đánh giá )"
    assert page.get_by_text("Bạn đã chấm 4 sao.").is_visible()

    second = open_context().new_page()
    second.goto(article.get_absolute_url())
    second.locator("form.rating label.rating__star").nth(1).click()  # another visitor gives 2 stars
    second.get_by_text("3,0 điểm ( 2 đánh giá )").wait_for()
