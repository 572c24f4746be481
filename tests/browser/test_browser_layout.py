"""The phone and desktop layouts: screenshots, no sideways scrolling, a collapsible menu, big targets."""

import pytest

from tests.browser.tour import page_types, seed_demo
from tests.factories import image_upload, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


SCREENSHOT_PAGES = ["home", "article", "documents", "feedback", "search"]

OVERFLOW = """() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
    wide: [...document.querySelectorAll('body *')]
          .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .slice(0, 5).map(el => el.tagName + '.' + el.className)})"""

SMALL_TARGETS = """(selector) => [...document.querySelectorAll(selector)]
    .filter(el => el.offsetParent !== null && !el.closest('[aria-hidden=true]'))
    .map(el => ({el: el.tagName + ' ' + (el.innerText || el.name || el.getAttribute('aria-label') || '').trim().slice(0, 40),
                 w: Math.round(el.getBoundingClientRect().width), h: Math.round(el.getBoundingClientRect().height)}))
    .filter(t => t.w < 44 || t.h < 44)"""


def photograph(page, path):
    """A full-page screenshot after scrolling once to the bottom, so lazy images have loaded."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += innerHeight) {
                scrollTo(0, y);
                await new Promise(resolve => requestAnimationFrame(resolve));
            }
            await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
            scrollTo(0, 0);
        }"""
    )
    page.screenshot(path=path, full_page=True)


def test_every_page_type_fits_a_phone_and_is_photographed(open_context, screenshots):
    """At 375 px no page type scrolls sideways (menu closed or open, normal or largest text) and its main
    targets are at least 44×44 px; home, article, documents, feedback and search are photographed at
    375×812 and 1366×768."""
    seed_demo()
    urls = page_types()
    problems = {}
    phone = open_context(phone=True).new_page()
    for name, url in urls.items():
        phone.goto(url)
        if name in SCREENSHOT_PAGES:
            photograph(phone, screenshots / f"{name}-375.png")
        overflow = phone.evaluate(OVERFLOW)
        if overflow["scroll"] > overflow["client"]:
            problems[f"{name}: scrolls sideways"] = overflow
        phone.get_by_role("button", name="Danh mục").click()
        overflow = phone.evaluate(OVERFLOW)
        if overflow["scroll"] > overflow["client"]:
            problems[f"{name}: scrolls sideways with the menu open"] = overflow
        small = phone.evaluate(SMALL_TARGETS, TAP_TARGETS)
        if small:
            problems[f"{name}: targets under 44×44 px"] = small
    # The largest text size (A+ pressed four times) must still fit.
    phone.goto("/")
    bigger = phone.get_by_role("group", name="Cỡ chữ").get_by_role("button", name="tăng cỡ chữ")
    for _ in range(4):
        bigger.click()
    for name, url in urls.items():
        phone.goto(url)
        overflow = phone.evaluate(OVERFLOW)
        if overflow["scroll"] > overflow["client"]:
            problems[f"{name}: scrolls sideways at the largest text size"] = overflow
    desktop = open_context().new_page()
    for name in SCREENSHOT_PAGES:
        desktop.goto(urls[name])
        photograph(desktop, screenshots / f"{name}-1366.png")
    assert not problems, "\n".join(f"{where}: {what}" for where, what in problems.items())
    for name in SCREENSHOT_PAGES:
        for width in ["375", "1366"]:
            assert (screenshots / f"{name}-{width}.png").stat().st_size > 10_000


@pytest.fixture
def pages():
    make_article("Khai giảng năm học mới tại trường tiểu học xã Kim Định", cover_image=image_upload(size=(640, 400)))


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
