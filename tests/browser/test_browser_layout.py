"""The phone and desktop layouts: screenshots, no sideways scrolling, a collapsible menu, big targets."""

import pytest

from tests.factories import image_upload, make_article, make_category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The main interactive elements a finger must hit: at least 44×44 CSS pixels.
TAP_TARGETS = ", ".join(
    [
        ".menu__toggle",
        ".menu__list a",
        ".menu__search input",
        ".menu__search button",
        ".text-size button",
        ".side-banner",
        "main button",
        "main input:not([type=hidden]):not([type=radio]):not([type=checkbox])",
        "main select",
        "main textarea",
        "main .btn",
        "aside button",
        "aside .btn",
    ]
)


@pytest.fixture
def pages():
    """The page types to look at, by name: url."""
    parent = make_category("Văn hóa - Xã hội", order=1)
    child = make_category("Giáo dục", parent=parent)
    for day in range(1, 6):
        make_article(
            f"Khai giảng năm học mới tại trường tiểu học xã Kim Định số {day}",
            category=child,
            days=day,
            cover_image=image_upload(size=(640, 400), color=(20 * day, 90, 140)),
            featured=day <= 3,
            sapo="Các trường học trên địa bàn huyện tổ chức lễ khai giảng trang trọng, an toàn và tiết kiệm.",
        )
    article = make_article(
        "Huyện Kim Sơn tổng kết năm học 2023-2024 và triển khai nhiệm vụ năm học mới",
        category=child,
        cover_image=image_upload(size=(800, 500), color=(160, 60, 40)),
        cover_caption="Quang cảnh hội nghị tổng kết năm học",
        sapo="Sáng nay, UBND huyện tổ chức hội nghị tổng kết năm học.",
        body="<p>" + "Nội dung bài viết dài. " * 80 + "</p>"
        "<table><tr><th>Trường</th><th>Học sinh</th><th>Giáo viên</th><th>Tỷ lệ lên lớp</th></tr>"
        "<tr><td>Tiểu học Kim Định</td><td>1.234</td><td>56</td><td>99,8%</td></tr></table>"
        "<p>https://kimson.ninhbinh.gov.vn/mot-duong-dan-rat-dai-khong-co-khoang-trang-nao-ca-de-thu-tran-ngang</p>",
    )
    return {"home": "/", "article": article.get_absolute_url()}


def test_screenshots_at_phone_and_desktop_widths(open_context, pages, screenshots):
    """Every page type is photographed at 375×812 and 1366×768 into the screenshots folder."""
    for width, phone in [("375", True), ("1366", False)]:
        page = open_context(phone=phone).new_page()
        for name, url in pages.items():
            page.goto(url)
            path = screenshots / f"{name}-{width}.png"
            page.screenshot(path=path, full_page=True)
            assert path.stat().st_size > 10_000


def test_no_horizontal_scrolling_on_a_phone(phone_page, pages):
    """At 375 px nothing is wider than the screen, on any page type, menu closed or open."""
    for name, url in pages.items():
        phone_page.goto(url)
        for state in ["menu closed", "menu open"]:
            if state == "menu open":
                phone_page.get_by_role("button", name="Danh mục").click()
            overflow = phone_page.evaluate(
                """() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
                          wide: [...document.querySelectorAll('body *')]
                                .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                                .slice(0, 5).map(el => el.tagName + '.' + el.className)})"""
            )
            assert overflow["scroll"] <= overflow["client"], f"{name}, {state}: {overflow}"


def test_menu_collapses_behind_a_button_on_a_phone(phone_page, pages):
    """On a phone the menu hides behind "Danh mục"; the button opens and closes it."""
    phone_page.goto("/")
    toggle = phone_page.get_by_role("button", name="Danh mục")
    menu_link = phone_page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Văn bản")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu_link.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu_link.is_visible()
    toggle.click()
    assert not menu_link.is_visible()


def test_menu_is_open_without_a_button_on_a_desktop(page, pages):
    """At desktop width the menu shows its links and no menu button."""
    page.goto("/")
    assert not page.get_by_role("button", name="Danh mục").is_visible()
    assert page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Văn bản").is_visible()


def test_tap_targets_are_at_least_44_px_on_a_phone(phone_page, pages):
    """Menu links, buttons and form controls are at least 44×44 px on a phone."""
    for name, url in pages.items():
        phone_page.goto(url)
        phone_page.get_by_role("button", name="Danh mục").click()
        small = phone_page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter(el => el.offsetParent !== null)
                .map(el => ({el: el.tagName + ' ' + (el.innerText || el.name || el.getAttribute('aria-label') || '').trim().slice(0, 40),
                             w: Math.round(el.getBoundingClientRect().width), h: Math.round(el.getBoundingClientRect().height)}))
                .filter(t => t.w < 44 || t.h < 44)""",
            TAP_TARGETS,
        )
        assert small == [], f"{name}: targets smaller than 44×44 px: {small}"
