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


# A checkbox's label in the account form may wrap once on a phone, not fold into a column.
FOLDED_LABELS = """() => [...document.querySelectorAll('#unit_memberships-group [id$="-groups"] label')]
    .filter(label => label.offsetParent !== null)
    .filter(label => {
        const style = getComputedStyle(label);
        const line = parseFloat(style.lineHeight) || 1.3 * parseFloat(style.fontSize);  // "normal"
        return label.getBoundingClientRect().height > 2.5 * line;
    })
    .map(label => label.innerText.trim())"""


@pytest.mark.parametrize("phone", [False, True], ids=["1366", "375"])
def test_the_province_administrator_makes_an_account(open_context, live_server, axe, phone):
    """quantritinh signs in on the province's host and makes a commune editor's account: the form
    fits the screen, each group's label reads on a line or two, and the account works in the
    commune chosen."""
    from django.contrib.auth.models import Permission

    from portal.groups import PROVINCE_ADMINS, STAFF_GROUPS

    for name in STAFF_GROUPS:  # a transactional test's flush empties what the migrations made
        Group.objects.get_or_create(name=name)
    admins, _ = Group.objects.get_or_create(name=PROVINCE_ADMINS)
    rights = ("view_unit", "view_unithost", *(f"{a}_unitmembership" for a in ("add", "change", "delete", "view")))
    admins.permissions.set(Permission.objects.filter(codename__in=[*rights, "add_user", "change_user", "view_user"]))
    ninhbinh = make_unit("Ninh Bình", "ninhbinh.localhost", kind="tinh")
    kimdong = make_unit("Kim Đông", "kimdong.localhost", parent=ninhbinh)
    make_staff("quantritinh", PROVINCE_ADMINS, unit=ninhbinh)
    admin = f"http://ninhbinh.localhost:{urlsplit(live_server.url).port}/{settings.ADMIN_URL}"

    page = open_context(phone=phone).new_page()
    page.goto(admin)
    page.fill("#id_username", "quantritinh")
    page.fill("#id_password", "pw-quantritinh")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    page.goto(admin + "auth/user/add/")
    layout = page.evaluate(OVERFLOW)
    assert layout["scroll"] <= layout["client"], layout["wide"]
    assert page.evaluate(FOLDED_LABELS) == []
    assert axe(page) == []
    page.fill("#id_username", "bientap.kimdong")
    page.fill("#id_password1", "Xuan-Hoa@2026")
    page.fill("#id_password2", "Xuan-Hoa@2026")
    page.fill("#id_last_name", "Nguyễn Thị")
    page.fill("#id_first_name", "Hoa")
    page.select_option("#id_unit_memberships-0-unit", label="Xã Kim Đông")
    page.locator("#unit_memberships-0").get_by_label("Biên tập viên — viết bài, gửi duyệt").check()
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").all_inner_texts()
    assert "Nguyễn Thị Hoa" in page.locator("#result_list").inner_text()
    membership = UnitMembership.objects.get(user__username="bientap.kimdong")
    assert membership.unit == kimdong and list(membership.groups.values_list("name", flat=True)) == [EDITORS]
