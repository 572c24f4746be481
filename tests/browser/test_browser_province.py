"""A province's portal in a real browser: its communes' news, their list and the search of them all."""

from urllib.parse import urlsplit

import pytest

from portal import units
from search.registry import rebuild
from tests.browser.test_browser_layout import OVERFLOW, photograph
from tests.factories import image_upload, make_article, make_category, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {"home": "/", "units": "/don-vi/", "search": "/tim-kiem/?q=nuoc+sach&don_vi=toan-tinh"}


@pytest.fixture
def province_url(live_server):
    ninhbinh = make_unit("Ninh Bình", "ninhbinh.localhost", kind="tinh")
    with units.active(ninhbinh):
        make_article("Tỉnh họp bàn cấp nước sạch cho vùng ven biển", category=make_category("Thời sự"))
    communes = [("Kim Đông", "xa"), ("Yên Mô", "phuong"), ("Phát Diệm", "xa"), ("Cồn Thoi", "dac-khu")]
    for n, (name, kind) in enumerate(communes):
        unit = make_unit(name, f"c{n}.localhost", kind=kind, parent=ninhbinh)
        with units.active(unit):
            category = make_category("Thời sự")
            make_article(
                f"{name} khánh thành trạm nước sạch mới", category=category, days=n, cover_image=image_upload()
            )
            make_article(f"{name} ra quân làm đường giao thông nông thôn", category=category, days=n + 0.5)
    rebuild()
    return f"http://ninhbinh.localhost:{urlsplit(live_server.url).port}"


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_province_pages_fit_and_pass_axe(open_context, province_url, axe, screenshots, phone):
    page = open_context(phone=phone).new_page()
    width = 375 if phone else 1366
    for name, path in PAGES.items():
        page.goto(province_url + path)
        assert page.locator("main").count() == 1
        photograph(page, f"/tmp/h18c-{name}-{width}.png")
        photograph(page, str(screenshots / f"province-{name}-{width}.png"))
        layout = page.evaluate(OVERFLOW)
        assert layout["scroll"] <= layout["client"], (name, layout["wide"])
        assert axe(page) == [], name
    page.goto(province_url + "/")
    page.get_by_role("link", name="Kim Đông khánh thành trạm nước sạch mới").click()
    page.wait_for_load_state()
    assert page.url.startswith("http://c0.localhost:") and "/tin-tuc/" in page.url
    assert page.get_by_role("heading", name="Kim Đông khánh thành trạm nước sạch mới").count() == 1
