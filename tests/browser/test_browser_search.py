"""Search in a real browser: the header box, results without accents, opening a result."""

import pytest

from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_kim_son_without_accents_and_open_a_result(page):
    """Typing "kim son" in the header's box finds "Kim Sơn" articles; a result opens its article."""
    article = make_article("Huyện Kim Sơn đón nhận Huân chương Lao động", sapo="Lễ đón nhận tại Phát Diệm.")
    make_article("Hội nghị tổng kết công tác quân sự", sapo="Không liên quan.")

    page.goto("/")
    search = page.get_by_role("search").first
    search.get_by_label("Tìm kiếm").fill("kim son")
    search.get_by_label("Tìm kiếm").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=kim+son*")
    summary = page.locator(".search-summary")
    assert summary.inner_text() == "1 kết quả cho “kim son”."
    hits = page.locator(".search-hit")
    assert hits.count() == 1
    hits.get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == article.title


def test_search_with_no_results_says_so(page):
    """A search that finds nothing says so in Vietnamese and suggests what to try."""
    make_article("Hội nghị tổng kết công tác quân sự")
    page.goto("/tim-kiem/?q=xyzzy")
    assert "Không tìm thấy kết quả nào cho “xyzzy”." in page.locator(".search-summary").inner_text()
