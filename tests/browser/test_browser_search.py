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


def test_words_inside_an_attached_pdf_find_its_document(page):
    """Words that are only in a decision's PDF find the document; the excerpt shows them marked."""
    from tests.factories import make_document, pdf_upload

    document = make_document("15/QĐ-UBND", summary="Về việc hỗ trợ nhà ở cho hộ nghèo")
    document.files.create(file=pdf_upload("qd.pdf", ["Dieu 2. Muc ho tro xay moi la 40 trieu dong"]))
    make_article("Hội nghị tổng kết công tác quân sự")

    page.goto("/")
    box = page.get_by_role("search").first.get_by_label("Tìm kiếm")
    box.fill("xay moi 40 trieu")
    box.press("Enter")
    page.wait_for_url("**/tim-kiem/?q=xay+moi+40+trieu*")
    hits = page.locator(".search-hit")
    assert hits.count() == 1
    assert "15/QĐ-UBND" in hits.get_by_role("link").inner_text()
    marked = hits.locator(".search-hit__snippet mark").all_inner_texts()
    assert marked == ["xay", "moi", "40", "trieu"]


def test_title_suggestions_by_keyboard_and_for_screen_readers(page, axe):
    """Typing shows title suggestions as a list box; arrows choose, Enter opens, Escape closes; axe passes."""
    make_article("Huyện Kim Sơn đón nhận Huân chương Lao động")
    wanted = make_article("Kim Sơn ra quân làm thủy lợi")
    make_article("Hội nghị tổng kết công tác quân sự")

    page.goto("/")
    box = page.get_by_role("combobox", name="Tìm kiếm")
    box.press_sequentially("kim so")
    listbox = page.get_by_role("listbox", name="Gợi ý")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_by_role("option").count() == 2
    assert "2 gợi ý" in page.locator(".menu__search [role=status]").inner_text()
    assert axe(page) == []

    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("n ra")
    listbox.get_by_role("option").first.wait_for()
    box.press("ArrowDown")
    option = listbox.get_by_role("option", selected=True)
    assert option.inner_text().startswith(wanted.title)
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    page.wait_for_url(f"**{wanted.get_absolute_url()}")

    # The search page's own box suggests too, and the page passes axe with its list open.
    page.goto("/tim-kiem/?q=kim")
    box = page.get_by_role("combobox", name="Từ khóa")
    box.fill("")
    box.press_sequentially("kim so")
    page.locator("#id_q-suggestions").get_by_role("option").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert axe(page) == []


def test_a_typo_is_offered_its_correction(page):
    """ "kim sonn" finds nothing and offers "kim son", which finds the article."""
    make_article("Huyện Kim Sơn đón nhận Huân chương Lao động")
    page.goto("/tim-kiem/?q=kim+sonn")
    page.get_by_role("link", name="kim son").click()
    page.wait_for_url("**/tim-kiem/?q=kim+son")
    assert page.locator(".search-summary").inner_text() == "1 kết quả cho “kim son”."
