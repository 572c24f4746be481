"""A commune's admin in a real browser: a commune editor signs in on the commune's host and sees that
commune only, named in the header, with a link to the other unit they work in."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from portal import units
from portal.groups import EDITORS
from portal.models import UnitMembership
from tests.browser.test_browser_layout import OVERFLOW, photograph
from tests.factories import first_unit, make_article, make_category, make_staff, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commune_editor_signs_in_on_the_communes_host(open_context, live_server, axe, newsroom_groups):
    kimdong = make_unit("Kim Đông", "kimdong.localhost")
    with units.active(first_unit()):
        make_article("Tin của Kim Sơn", category=make_category("Thời sự"), status="draft")
    with units.active(kimdong):
        make_article("Tin của Kim Đông", category=make_category("Thời sự"), status="draft")
    editor = make_staff("bientapxa", EDITORS, unit=kimdong)
    UnitMembership.objects.create(user=editor, unit=first_unit()).groups.add(Group.objects.get(name=EDITORS))
    admin = f"http://kimdong.localhost:{urlsplit(live_server.url).port}/{settings.ADMIN_URL}"

    page = open_context().new_page()
    page.goto(admin)
    page.fill("#id_username", "bientapxa")
    page.fill("#id_password", "pw-bientapxa")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#unit-name").inner_text().startswith("Đơn vị: Xã Kim Đông")
    assert page.get_by_role("link", name="Huyện Kim Sơn").count() == 1
    photograph(page, "/tmp/h18a-admin-index-commune-editor-1366.png")
    layout = page.evaluate(OVERFLOW)
    assert layout["scroll"] <= layout["client"], layout["wide"]
    assert axe(page) == []
    page.goto(admin + "news/article/")
    listed = page.locator("#result_list").inner_text()
    assert "Tin của Kim Đông" in listed and "Tin của Kim Sơn" not in listed
    photograph(page, "/tmp/h18a-admin-articles-commune-editor-1366.png")
