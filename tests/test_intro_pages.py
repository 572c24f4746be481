import re
from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from pages.models import ContactDetails, Leader, Page, ScheduleEntry
from tests.factories import image_upload

pytestmark = pytest.mark.django_db


def test_introduction_opens_with_the_first_page_and_links_the_others(client):
    """/gioi-thieu/ shows the first page; the others, leaders and schedule are one tap away."""
    Page.objects.create(title="Lịch sử hình thành", slug="lich-su", body="<p>Năm 1829</p>", order=2)
    Page.objects.create(title="Tổng quan", slug="tong-quan", body="<p>Huyện ven biển</p><script>x()</script>", order=1)
    Page.objects.create(title="Trang ẩn", slug="an", body="<p>x</p>", is_published=False)
    html = client.get("/gioi-thieu/").content.decode()
    assert "Huyện ven biển" in html and "<script>x()" not in html
    for link in ('href="/gioi-thieu/lich-su/"', 'href="/gioi-thieu/lanh-dao/"', 'href="/lich-cong-tac/"'):
        assert link in html
    assert "Trang ẩn" not in html
    assert "Năm 1829" in client.get("/gioi-thieu/lich-su/").content.decode()
    assert client.get("/gioi-thieu/an/").status_code == 404


def test_leaders_with_photo_title_phone_and_email(client):
    Leader.objects.create(
        name="Trần Văn Quang",
        title="Chủ tịch UBND huyện",
        phone="0229 3862 100",
        email="ct@kimson.gov.vn",
        photo=image_upload(size=(320, 400)),
    )
    Leader.objects.create(name="Người đã nghỉ", title="Nguyên Chủ tịch", is_active=False)
    html = client.get("/gioi-thieu/lanh-dao/").content.decode()
    for text in (
        "Trần Văn Quang",
        "Chủ tịch UBND huyện",
        "0229 3862 100",
        "mailto:ct@kimson.gov.vn",
        'alt="Trần Văn Quang"',
    ):
        assert text in html
    assert "Người đã nghỉ" not in html


def test_contact_page_in_vietnamese_and_english(client):
    """The contact page has the unit's address and phone; its English version is marked lang="en"."""
    Leader.objects.create(name="Phạm Thị Hạnh", title="Phó Chủ tịch", title_en="Vice Chairwoman")
    html = client.get("/lien-he/").content.decode()
    assert "0229 3862 152" in html and 'href="/lien-he/en/"' in html
    english = client.get("/lien-he/en/").content.decode()
    assert '<article lang="en">' in english
    assert escape(ContactDetails.load().organisation_en) in english
    assert "Vice Chairwoman" in english and "Office hours" in english


def make_entry(day, hour=8, content="Giao ban"):
    return ScheduleEntry.objects.create(
        day=day, time=time(hour), content=content, host="Đ/c Chủ tịch", place="Phòng họp 1"
    )


def test_schedule_shows_this_week_day_by_day(client):
    """This week's entries appear under their weekday, in time order; other weeks' do not."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    make_entry(monday + timedelta(days=2), 14, "Tiếp công dân định kỳ")
    make_entry(monday + timedelta(days=2), 8, "Kiểm tra đê biển")
    make_entry(monday + timedelta(days=7), 8, "Việc tuần sau")
    html = client.get("/lich-cong-tac/").content.decode()
    assert f"Thứ tư, {monday + timedelta(days=2):%d/%m/%Y}" in html
    assert html.index("Kiểm tra đê biển") < html.index("Tiếp công dân định kỳ")
    assert "Việc tuần sau" not in html
    assert html.count("Không có lịch.") == 6


def test_schedule_week_navigation(client):
    """?tuan=2026-W48 shows that week; the previous/next links go one week either way, across years."""
    make_entry(date(2026, 11, 10), content="Họp tuần 46")
    make_entry(date(2026, 11, 25), content="Họp tuần 48")
    make_entry(date(2027, 1, 5), content="Họp đầu năm")
    response = client.get("/lich-cong-tac/", {"tuan": "2026-W48"})
    html = response.content.decode()
    assert "Họp tuần 48" in html and "23/11/2026 – 29/11/2026" in html
    assert 'href="?tuan=2026-W47" rel="prev"' in html and 'href="?tuan=2026-W49" rel="next"' in html
    html = client.get("/lich-cong-tac/", {"tuan": "2026-W53"}).content.decode()
    assert 'href="?tuan=2027-W01" rel="next"' in html or "2027-W01" in html


def test_schedule_navigation_stays_within_weeks_that_have_entries(client):
    """No "Tuần trước" before the earliest entry, none that would 400; "Tuần này" leads back."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    make_entry(monday - timedelta(days=14), content="Việc hai tuần trước")
    url = "/lich-cong-tac/"
    for _ in range(2):
        html = client.get(url).content.decode()
        url = "/lich-cong-tac/" + re.search(r'href="(\?tuan=[^"]+)" rel="prev"', html).group(1)
    html = client.get(url).content.decode()
    assert "Việc hai tuần trước" in html
    assert 'rel="prev"' not in html
    assert 'href="/lich-cong-tac/">Tuần này</a>' in html
    response = client.get("/lich-cong-tac/", {"tuan": "2000-W01"})
    html = response.content.decode()
    assert response.status_code == 200 and 'rel="prev"' not in html
    for link in re.findall(r'href="(\?tuan=[^"]+)"', html):
        assert client.get("/lich-cong-tac/" + link).status_code == 200
    html = client.get("/lich-cong-tac/", {"tuan": "2100-W52"}).content.decode()
    assert 'rel="next"' not in html
    for link in re.findall(r'href="(\?tuan=[^"]+)"', html):
        assert client.get("/lich-cong-tac/" + link).status_code == 200


def test_schedule_bad_week_is_a_clear_400(client):
    response = client.get("/lich-cong-tac/", {"tuan": "tuan-nao"})
    assert response.status_code == 400
    assert "Tuần không hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/gioi-thieu/lanh-dao/",
        "/lich-cong-tac/",
        "/lien-he/",
        "/lien-he/en/",
        "/gop-y/",
        "/gop-y/hoi-dap/",
        "/gop-y/tra-cuu/",
        "/van-ban/",
        "/mot-cua/",
        "/mot-cua/tra-cuu/",
    ],
)
def test_menu_reaches_every_citizen_page(client, url):
    """Each page carries the main menu with links to all the citizen services."""
    html = client.get(url).content.decode()
    menu = html[html.index('<nav class="menu"') : html.index("</nav>", html.index('<nav class="menu"'))]
    for link in ("/gioi-thieu/", "/lich-cong-tac/", "/van-ban/", "/mot-cua/", "/gop-y/", "/lien-he/"):
        assert f'href="{link}"' in menu


def test_schedule_query_count_is_constant(client):
    """A full week costs no more queries than an empty one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/lich-cong-tac/")
    with CaptureQueriesContext(connection) as empty:
        client.get("/lich-cong-tac/")
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    for n in range(20):
        make_entry(monday + timedelta(days=n % 7), 7 + n % 10, f"Việc {n}")
    with CaptureQueriesContext(connection) as full:
        html = client.get("/lich-cong-tac/").content.decode()
    assert "Việc 19" in html
    assert len(full) == len(empty)
