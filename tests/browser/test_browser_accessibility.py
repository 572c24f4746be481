"""axe-core on every page type of the demo site: no serious or critical WCAG 2.1 A/AA violation."""

import pytest

from tests.browser.tour import page_types, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_serious_violations_on_any_page_type(open_context, axe):
    """axe finds no serious or critical violation (contrast, names, labels, alt text, ...) on any page type,
    at desktop and at phone width; every page says it is in Vietnamese."""
    seed_demo()
    found = {}
    for width in ["desktop", "phone"]:
        page = open_context(phone=width == "phone").new_page()
        for name, url in page_types().items():
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == "vi", url
            violations = axe(page)
            if violations:
                found[f"{name} ({width}, {url})"] = violations
    assert not found, found


def test_no_serious_violations_with_the_menu_open_on_a_phone(phone_page, axe):
    """The opened phone menu passes axe too."""
    phone_page.goto("/")
    phone_page.get_by_role("button", name="Danh mục").click()
    assert axe(phone_page) == []


def test_no_serious_violations_on_forms_showing_errors(page, axe, settings):
    """Forms sent empty show their errors tied to the fields, and still pass axe."""
    settings.FEEDBACK_MIN_FILL_SECONDS = 0  # the spam check's minimum fill time; a test types faster
    found = {}
    for url, button in [
        ("/gop-y/", "Gửi góp ý"),
        ("/gop-y/tra-cuu/", "Tra cứu"),
        ("/mot-cua/tra-cuu/", "Tra cứu hồ sơ"),
    ]:
        page.goto(url)
        page.locator("main").get_by_role("button", name=button).click()
        invalid = page.locator("main [aria-invalid=true]")
        invalid.first.wait_for()
        for field in invalid.all():
            described = (field.get_attribute("aria-describedby") or "").split()
            assert described and page.locator(f"#{described[0]}").inner_text().strip(), f"{url}: error not tied"
        violations = axe(page)
        if violations:
            found[url] = violations
    assert not found, found
