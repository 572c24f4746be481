"""A province's portal shows its communes: "Tin từ các xã", the list of their portals, a search of all."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from news import queries
from news.models import Category
from portal import units
from search.registry import rebuild
from tests.factories import make_article, make_category, make_document, make_unit

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
PROVINCE, KIMDONG, YENMO = "ninhbinh.localhost", "kimdong.localhost", "yenmo.localhost"


@pytest.fixture
def province(settings):
    settings.ALLOWED_HOSTS = [".localhost", "testserver", "127.0.0.1"]
    ninhbinh = make_unit("Ninh Bình", PROVINCE, kind="tinh")
    kimdong = make_unit("Kim Đông", KIMDONG, parent=ninhbinh)
    yenmo = make_unit("Yên Mô", YENMO, kind="phuong", parent=ninhbinh)
    with units.active(ninhbinh):
        make_article("Tỉnh họp bàn cấp nước sạch", category=make_category("Thời sự"), slug="tinh-nuoc-sach")
        make_document(number="5/QĐ-UBND", summary="Kế hoạch cấp nước sạch toàn tỉnh")
    with units.active(kimdong):
        make_article("Kim Đông khánh thành trạm nước sạch", category=make_category("Thời sự"), slug="kd-nuoc", days=1)
    with units.active(yenmo):
        make_article("Yên Mô trồng lúa", category=make_category("Thời sự"), slug="ym-lua", days=2)
    with units.active(units.first_unit_id()):
        make_article("Kim Sơn không thuộc tỉnh này trong thử nghiệm", slug="ks-ngoai")
    rebuild()
    return ninhbinh, kimdong, yenmo


def page(path, host, **params):
    response = Client(HTTP_USER_AGENT=BROWSER).get(path, params, HTTP_HOST=host)
    assert response.status_code == 200, (path, host, response.status_code)
    return response.content.decode()


def test_province_home_shows_its_communes_news_linking_to_their_portals(province):
    """Marked with the commune's name, linked on the commune's host with the request's scheme and port."""
    home = page("/", f"{PROVINCE}:8000")
    assert "Tin từ các xã" in home
    block = home.split('id="tin-cac-xa"')[1].split("</section>")[0]
    assert "Xã Kim Đông" in block and "Phường Yên Mô" in block
    assert 'href="http://kimdong.localhost:8000/tin-tuc/kd-nuoc/"' in block
    assert 'href="http://yenmo.localhost:8000/tin-tuc/ym-lua/"' in block
    assert block.index("Kim Đông khánh thành") < block.index("Yên Mô trồng lúa")  # newest first
    assert "Kim Sơn không thuộc" not in home and "Tỉnh họp bàn" not in block
    assert 'href="/don-vi/"' in block
    # Without a port in the Host, none in the links.
    assert 'href="http://kimdong.localhost/tin-tuc/kd-nuoc/"' in page("/", PROVINCE)


def test_the_block_is_one_query_whatever_the_number_of_communes(province):
    ninhbinh, kimdong, yenmo = province
    for n in range(4):
        extra = make_unit(f"Xã Thêm {n}", f"them{n}.localhost", parent=ninhbinh)
        with units.active(extra):
            make_article(f"Tin xã thêm {n}", category=make_category("Thời sự"), slug=f"them-{n}")
    units.forget_hosts()
    units.all_units()  # the host map is read once per process, not per page
    with CaptureQueriesContext(connection) as counted:
        found = queries.commune_news(ninhbinh.pk)
    assert len(counted) == 1
    assert len(found) == 6 and {article.portal_unit.parent_id for article in found} == {ninhbinh.pk}


def test_communes_have_no_block_and_no_list_and_work_without_a_province(province, settings):
    ninhbinh, kimdong, yenmo = province
    home = page("/", KIMDONG)
    assert "Tin từ các xã" not in home and "Kim Đông khánh thành" in home
    assert Client().get("/don-vi/", HTTP_HOST=KIMDONG).status_code == 404
    alone = make_unit("Kim Hải", "kimhai.localhost")  # no province at all
    with units.active(alone):
        make_article("Kim Hải ra quân", category=make_category("Thời sự"), slug="kh")
    assert "Kim Hải ra quân" in page("/", "kimhai.localhost")


def test_the_list_of_commune_portals(province):
    listing = page("/don-vi/", f"{PROVINCE}:8000")
    assert "Cổng thông tin các xã, phường" in listing and "Tỉnh Ninh Bình có 2 cổng thông tin" in listing
    assert listing.index("Xã Kim Đông") < listing.index("Phường Yên Mô")  # by name, not by kind
    assert '<a class="unit-list__name" href="http://kimdong.localhost:8000/">Xã Kim Đông</a>' in listing
    assert '<a class="unit-list__name" href="http://yenmo.localhost:8000/">Phường Yên Mô</a>' in listing
    assert "Kim Sơn" not in listing.split('class="unit-list"')[1].split("</ul>")[0]
    sitemap = page("/sitemap-muc.xml", PROVINCE)
    assert f"http://{PROVINCE}/don-vi/" in sitemap
    assert "/don-vi/" not in page("/sitemap-muc.xml", KIMDONG)


@pytest.mark.usefixtures("counter_store")
def test_a_commune_publishing_makes_the_province_home_stale(province):
    """The province's kept home shows the commune's new article at once; the other commune's stays kept."""
    ninhbinh, kimdong, yenmo = province
    for _ in range(2):
        assert "Tin mới của Kim Đông" not in page("/", PROVINCE)
        page("/", YENMO)
    from news.models import Article

    Article.every_unit.filter(slug="ym-lua").update(title="Yên Mô đổi tên")  # no signal: kept pages stay
    with units.active(kimdong):
        make_article("Tin mới của Kim Đông", slug="kd-moi")
    assert "Tin mới của Kim Đông" in page("/", PROVINCE)
    assert "Yên Mô trồng lúa" in page("/", YENMO)  # a sibling's pages are not made stale


@pytest.mark.usefixtures("counter_store")
def test_a_commune_change_the_province_does_not_show_leaves_it_kept(province):
    ninhbinh, kimdong, yenmo = province
    from feedback.models import Feedback
    from news.models import Article

    for _ in range(2):
        page("/", PROVINCE)
    Article.every_unit.filter(slug="tinh-nuoc-sach").update(title="Tỉnh đổi tên")
    with units.active(kimdong):
        Feedback.objects.create(name="An", address="Xóm 2", phone="0912345678", title="Hỏi", content="Nội dung")
    assert "Tỉnh họp bàn cấp nước sạch" in page("/", PROVINCE)


@pytest.mark.usefixtures("counter_store")
def test_a_communes_scheduled_article_reaches_the_province_home_at_its_minute(province, settings):
    """The kept province home ends when a commune's next scheduled article goes public, not up to
    PAGE_CACHE_SECONDS later; the province has no scheduled article of its own."""
    ninhbinh, kimdong, yenmo = province
    settings.PAGE_CACHE_SECONDS = 300
    start = datetime(2031, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(start, tick=False) as clock:
        with units.active(kimdong):
            category = Category.objects.get(name="Thời sự")
            make_article("Kim Đông hẹn giờ tin lễ hội", category=category, slug="kd-hen-gio", days=-1 / 24 / 6)
        with units.active(yenmo):
            later = Category.objects.get(name="Thời sự")
            make_article("Yên Mô hẹn giờ tin mùa gặt", category=later, slug="ym-hen-gio", days=-1 / 24 / 3)
        for _ in range(2):
            assert "hẹn giờ" not in page("/", PROVINCE)
            assert "hẹn giờ" not in hits(page("/tim-kiem/", PROVINCE, q="le hoi", don_vi="toan-tinh"))
        clock.shift(timedelta(minutes=9))
        assert "hẹn giờ" not in page("/", PROVINCE)  # kept, until 9:10
        for _ in range(2):
            assert "hẹn giờ" not in hits(page("/tim-kiem/", PROVINCE, q="le hoi", don_vi="toan-tinh"))
        clock.shift(timedelta(minutes=1, seconds=1))
        home = page("/", PROVINCE)
        assert "Kim Đông hẹn giờ tin lễ hội" in home and "Yên Mô hẹn giờ" not in home
        # A search of the whole province shows it at its minute too.
        assert "Kim Đông hẹn giờ tin lễ hội" in hits(page("/tim-kiem/", PROVINCE, q="le hoi", don_vi="toan-tinh"))
        clock.shift(timedelta(minutes=9))
        assert "Yên Mô hẹn giờ" not in page("/", PROVINCE)  # kept again, until 9:20
        clock.shift(timedelta(minutes=1))
        assert "Yên Mô hẹn giờ tin mùa gặt" in page("/", PROVINCE)
        # The commune's own home was bounded by its own article all along.
        assert "Kim Đông hẹn giờ tin lễ hội" in page("/", KIMDONG)


def hits(html):
    found = html.split('class="search-hits"')[1].split("</ol>")[0] if 'class="search-hits"' in html else ""
    return found.replace("<mark>", "").replace("</mark>", "")


def test_province_search_is_its_own_by_default_and_all_its_units_on_request(province):
    """Default: the province's own items. "Toàn tỉnh": every unit's, marked and linked to their portal."""
    for _ in range(2):  # asked again: from the cache, each scope its own
        own = hits(page("/tim-kiem/", f"{PROVINCE}:8000", q="nuoc sach"))
        assert "cấp nước sạch" in own and "Kim Đông" not in own
        everything = hits(page("/tim-kiem/", f"{PROVINCE}:8000", q="nuoc sach", don_vi="toan-tinh"))
        assert "Tỉnh họp bàn" in everything and "khánh thành trạm" in everything
        assert '<span class="search-hit__unit">Xã Kim Đông</span>' in everything
        assert 'href="http://kimdong.localhost:8000/tin-tuc/kd-nuoc/"' in everything
        assert 'href="/tin-tuc/tinh-nuoc-sach/"' in everything
        one = hits(page("/tim-kiem/", PROVINCE, q="nuoc sach", don_vi="kim-dong"))
        assert "khánh thành trạm" in one and "Tỉnh họp bàn" not in one
    form = page("/tim-kiem/", PROVINCE, q="nuoc sach")
    assert '<label for="id_don_vi">Tìm trong</label>' in form
    assert '<option value="toan-tinh">Toàn tỉnh</option>' in form and '<option value="phuong-yen-mo">' not in form
    assert '<option value="yen-mo">Phường Yên Mô</option>' in form
    # An unknown unit is this portal, as an unknown type is every type.
    assert "Kim Đông" not in hits(page("/tim-kiem/", PROVINCE, q="nuoc sach", don_vi="khong-co"))
    # A unit outside the province is never searched from it.
    assert "không thuộc" not in hits(page("/tim-kiem/", PROVINCE, q="kim son", don_vi="toan-tinh"))
    assert "không thuộc" in hits(page("/tim-kiem/", "127.0.0.1", q="kim son"))


def test_a_communes_search_has_no_unit_filter_and_stays_its_own(province):
    html = page("/tim-kiem/", KIMDONG, q="nuoc sach", don_vi="toan-tinh")
    assert "id_don_vi" not in html
    assert "khánh thành trạm" in hits(html) and "Tỉnh họp bàn" not in hits(html)


def suggest(host, **params):
    response = Client(HTTP_USER_AGENT=BROWSER).get("/tim-kiem/goi-y/", params, HTTP_HOST=host)
    assert response.status_code == 200
    return response.json()["suggestions"]


DOCUMENT = "Quyết định 5/QĐ-UBND: Kế hoạch cấp nước sạch toàn tỉnh"


def test_province_suggestions_follow_the_units_searched(province):
    """As the results: the province's own titles by default, its communes' too with "Toàn tỉnh" or one
    of them, each linking to its portal and named; a commune's suggestions stay its own."""
    for _ in range(2):  # asked again: from the cache, each choice its own
        own = {item["title"]: item for item in suggest(f"{PROVINCE}:8000", q="nuoc sa")}
        assert set(own) == {"Tỉnh họp bàn cấp nước sạch", DOCUMENT}
        assert own["Tỉnh họp bàn cấp nước sạch"]["url"] == "/tin-tuc/tinh-nuoc-sach/"
        assert not any("unit" in item for item in own.values())
        everything = suggest(f"{PROVINCE}:8000", q="nuoc sa", don_vi="toan-tinh")
        by_title = {item["title"]: item for item in everything}
        assert set(by_title) == {"Tỉnh họp bàn cấp nước sạch", DOCUMENT, "Kim Đông khánh thành trạm nước sạch"}
        assert (
            by_title["Kim Đông khánh thành trạm nước sạch"]["url"] == "http://kimdong.localhost:8000/tin-tuc/kd-nuoc/"
        )
        assert by_title["Kim Đông khánh thành trạm nước sạch"]["unit"] == "Xã Kim Đông"
        assert by_title["Tỉnh họp bàn cấp nước sạch"]["url"] == "/tin-tuc/tinh-nuoc-sach/"
        one = suggest(PROVINCE, q="nuoc sa", don_vi="kim-dong")
        assert [(item["title"], item["url"]) for item in one] == [
            ("Kim Đông khánh thành trạm nước sạch", "http://kimdong.localhost/tin-tuc/kd-nuoc/")
        ]
    # An unknown unit is the province; a unit outside the province is never suggested from it.
    assert {item["title"] for item in suggest(PROVINCE, q="nuoc sa", don_vi="khong-co")} == set(own)
    assert suggest(PROVINCE, q="khong thu", don_vi="toan-tinh") == []
    # A commune ignores the choice: its own titles only.
    assert [item["title"] for item in suggest(KIMDONG, q="nuoc sa", don_vi="toan-tinh")] == [
        "Kim Đông khánh thành trạm nước sạch"
    ]


def test_province_suggestions_cost_the_same_queries_for_one_unit_or_all(province):
    """One query for the titles, whatever the number of units searched (kept values aside)."""
    counts = {}
    for choice in ("", "toan-tinh", "kim-dong"):
        suggest(PROVINCE, q="tron", don_vi=choice)  # the frame's kept values, if any, are read first
        with CaptureQueriesContext(connection) as queries_made:
            suggest(PROVINCE, q="truo", don_vi=choice)
        counts[choice] = len(queries_made)
    assert counts[""] == counts["toan-tinh"] == counts["kim-dong"] <= 2, counts


def test_the_search_page_box_sends_the_choice_of_units_with_its_suggestions(province):
    """The script reads the box's form: the "Tìm trong" choice goes with what is typed."""
    script = open("static/js/search-suggest.js", encoding="utf-8").read()
    assert "don_vi" in script
