"""The page frame in a real browser: home → article, the menu, keyboard use, motion, text size."""

import pytest

from tests.factories import image_upload, make_article, make_category, make_poll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article():
    category = make_category("Quốc phòng - An ninh")
    make_article("Hội nghị tổng kết công tác quân sự địa phương", category=category, days=2)
    return make_article(
        "Sơ kết hoạt động cụm an toàn làm chủ số 1",
        category=category,
        days=1,
        sapo="Cụm an toàn làm chủ số 1 sơ kết sáu tháng.",
        body='<p>Nội dung sơ kết.</p><figure><img src="/static/img/emblem.svg" alt="Quốc huy"></figure>',
        cover_image=image_upload(),
        cover_caption="Toàn cảnh hội nghị sơ kết",
        featured=True,
    )


def test_home_to_article(page, article):
    """A visitor opens the home page, clicks a headline and reads the article with its breadcrumb."""
    page.goto("/")
    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == article.title
    crumbs = page.get_by_role("navigation", name="Đường dẫn")
    assert crumbs.get_by_role("link", name="Quốc phòng - An ninh").is_visible()
    assert page.locator(".article__sapo").inner_text() == "Cụm an toàn làm chủ số 1 sơ kết sáu tháng."
    assert "lượt xem" in page.locator(".article__views").inner_text()


def test_menu_leads_to_a_category(page, article):
    """The main menu's sub-category opens on hover and leads to the category page."""
    page.goto("/")
    menu = page.get_by_role("navigation", name="Menu chính")
    menu.get_by_role("link", name="Tin tức - Sự kiện").hover()
    menu.get_by_role("link", name="Quốc phòng - An ninh").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Quốc phòng - An ninh"
    assert page.get_by_role("link", name=article.title).is_visible()


def test_page_language_and_image_alt_texts(page, article):
    """Every page says it is Vietnamese, and every image has an alt attribute."""
    for url in ["/", article.get_absolute_url(), article.category.get_absolute_url()]:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "vi"
        missing_alt = page.locator("img:not([alt])")
        assert missing_alt.count() == 0, (
            f"{url}: images without alt: {missing_alt.evaluate_all('els => els.map(e => e.src)')}"
        )
    page.goto(article.get_absolute_url())
    assert page.get_by_role("img", name="Toàn cảnh hội nghị sơ kết").is_visible()


def test_skip_link_is_first_and_moves_focus_to_the_content(page, article):
    """The first Tab shows the skip link; Enter moves the focus to the main content."""
    page.goto(article.get_absolute_url())
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["width"] > 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')"), "the next Tab stays in the content"


def test_keyboard_focus_is_visible(page, article):
    """Every element reached with Tab on an article page (frame, rating, tools, sidebar) shows its focus."""
    make_poll()
    page.goto(article.get_absolute_url())
    seen, hidden = [], []
    for _ in range(60):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => {
                const el = document.activeElement;
                // A visually hidden control (a star's radio) shows its focus on the glyph beside it.
                const shown = [el, el.nextElementSibling].filter(Boolean).map(e => getComputedStyle(e));
                return {name: el.tagName + ' ' + (el.innerText || el.getAttribute('aria-label') || el.name || '').trim(),
                        body: el === document.body,
                        visible: shown.some(s => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                                                 || s.boxShadow !== 'none')};
            }"""
        )
        if focus["body"]:
            break
        seen.append(focus["name"])
        if not focus["visible"]:
            hidden.append(focus["name"])
    assert not hidden, f"no visible focus on {hidden}"
    assert any("Trang chủ" in name for name in seen), f"Tab never reached the menu: {seen}"
    assert "INPUT score" in seen, f"Tab never reached the rating's stars: {seen}"
    assert any("Bình chọn" in name for name in seen), f"Tab never reached the poll: {seen}"


def test_welcome_line_moves_but_stops_for_reduced_motion(open_context, article):
    """The welcome line scrolls, except for visitors who ask for reduced motion."""
    moving = open_context().new_page()
    moving.goto("/")
    assert moving.locator(".marquee").evaluate("el => getComputedStyle(el).animationName") == "marquee"
    assert moving.get_by_role("button", name="Dừng chữ chạy").is_visible()
    still = open_context(reduced_motion="reduce").new_page()
    still.goto("/")
    welcome = still.locator(".marquee")
    assert welcome.evaluate("el => getComputedStyle(el).animationName") == "none"
    assert welcome.inner_text() == "Chào mừng bạn đến với Trang thông tin điện tử huyện Kim Sơn"
    assert welcome.is_visible()
    assert not still.get_by_role("button", name="Dừng chữ chạy").is_visible(), "nothing moves, nothing to pause"


def test_welcome_line_pause_button(page, article):
    """The pause button stops the scrolling welcome line and starts it again."""
    page.goto("/")
    pause = page.get_by_role("button", name="Dừng chữ chạy")
    play_state = "() => getComputedStyle(document.querySelector('.marquee')).animationPlayState"
    assert page.evaluate(play_state) == "running"
    pause.click()
    assert pause.get_attribute("aria-pressed") == "true"
    page.mouse.move(0, 0)
    assert page.evaluate(play_state) == "paused"
    pause.click()
    page.mouse.move(0, 0)
    assert page.evaluate(play_state) == "running"


def test_text_size_control_is_remembered_across_pages(page, article):
    """A+ makes the text bigger, the next page keeps it, A brings the default size back."""

    def body_size():
        return page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.article__sapo, .card__title')).fontSize)"
        )

    page.goto("/")
    control = page.get_by_role("group", name="Cỡ chữ")
    normal = body_size()
    control.get_by_role("button", name="tăng cỡ chữ").click()
    control.get_by_role("button", name="tăng cỡ chữ").click()
    bigger = body_size()
    assert bigger >= normal * 1.2
    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--font-scale').trim()") == "1.25"
    page.get_by_role("group", name="Cỡ chữ").get_by_role("button", name="cỡ chữ mặc định").click()
    page.goto("/")
    assert body_size() == normal
    page.get_by_role("group", name="Cỡ chữ").get_by_role("button", name="giảm cỡ chữ").click()
    assert body_size() < normal
