"""axe-core on every page type of the demo site: no serious or critical WCAG 2.1 A/AA violation."""

import pytest

from tests.browser.tour import page_types, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_serious_violations_on_any_page_type(open_context, axe):
    """axe finds no serious or critical violation on any page type, at desktop and at phone width."""
    seed_demo()
    found = {}
    for width in ["desktop", "phone"]:
        page = open_context(phone=width == "phone").new_page()
        for name, url in page_types().items():
            page.goto(url)
            violations = axe(page)
            if violations:
                found[f"{name} ({width}, {url})"] = violations
    assert not found, found


def test_no_serious_violations_with_the_menu_open_on_a_phone(phone_page, axe):
    """The opened phone menu passes axe too."""
    phone_page.goto("/")
    phone_page.get_by_role("button", name="Danh mục").click()
    assert axe(phone_page) == []
