"""axe-core on every page type: no serious or critical WCAG 2.1 A/AA violation."""

import pytest

from tests.factories import image_upload, make_article, make_category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def content():
    """Enough content for every block of the page types to show."""
    parent = make_category("Kinh tế", order=1)
    child = make_category("Nông nghiệp", parent=parent)
    for day in range(1, 4):
        make_article(f"Tin kinh tế số {day}", category=parent, days=day, cover_image=image_upload(), featured=day == 1)
    article = make_article(
        "Mô hình trồng cói cho thu nhập cao",
        category=child,
        days=0,
        cover_image=image_upload(),
        cover_caption="Cánh đồng cói xã Kim Định",
        body="<p>Nông dân thu hoạch cói.</p><table><tr><th>Xã</th><th>Diện tích</th></tr><tr><td>Kim Định</td><td>120 ha</td></tr></table>",
    )
    return {"article": article, "category": parent}


def page_types(content):
    return {
        "home": "/",
        "category": content["category"].get_absolute_url(),
        "article": content["article"].get_absolute_url(),
        "not found": "/khong-co-trang-nay/",
    }


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_no_serious_violations_on_any_page_type(open_context, axe, content, width):
    """axe finds no serious or critical violation on any page type, at desktop and phone widths."""
    page = open_context(phone=width == "phone").new_page()
    found = {}
    for name, url in page_types(content).items():
        page.goto(url)
        violations = axe(page)
        if violations:
            found[name] = violations
    assert not found, found


def test_no_serious_violations_with_the_menu_open_on_a_phone(phone_page, axe, content):
    """The opened phone menu passes axe too."""
    phone_page.goto("/")
    phone_page.get_by_role("button", name="Danh mục").click()
    assert axe(phone_page) == []
