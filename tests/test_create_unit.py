"""A new unit in one step: `create_unit` (function, command, admin) makes a portal ready to publish."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from news.models import Article, Category
from pages.models import ContactDetails, Page
from polls.models import Poll
from portal import creating, groups, units
from portal.models import SiteSettings, Unit, UnitHost
from services.models import ServiceSettings
from stats.models import VisitCounter
from tests.factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return creating.create_unit("Ninh Bình", "tinh", ["ninhbinh.localhost"])


def test_create_unit_makes_hosts_settings_and_defaults(province):
    """Hosts (the first main), settings in the unit's words, categories, intro pages, a hidden poll."""
    unit = creating.create_unit("Kim Đông", "xa", ["kimdong.localhost", "kimdong.ninhbinh.gov.vn"], parent="ninh-binh")
    assert (unit.code, unit.parent, unit.kind) == ("kim-dong", province, "xa")
    assert list(UnitHost.objects.filter(unit=unit).values_list("name", "is_main")) == [
        ("kimdong.localhost", True),
        ("kimdong.ninhbinh.gov.vn", False),
    ]
    site = SiteSettings.every_unit.get(unit=unit)
    assert (site.unit_level, site.unit_name, site.agency) == ("Xã", "Kim Đông", "UBND xã Kim Đông")
    assert site.welcome_line == "Chào mừng bạn đến với Trang thông tin điện tử xã Kim Đông"
    assert site.address == "Xã Kim Đông, tỉnh Ninh Bình" and site.phone == ""
    assert site.responsible_person == "Chánh Văn phòng HĐND và UBND xã Kim Đông"
    contact = ContactDetails.every_unit.get(unit=unit)
    assert contact.organisation_en == "People's Committee of Kim Dong Commune"
    assert ServiceSettings.every_unit.get(unit=unit).portal_url == "https://dichvucong.ninhbinh.gov.vn"
    assert VisitCounter.objects.filter(unit=unit).exists()
    assert Category.every_unit.filter(unit=unit, parent=None).count() == 6
    assert list(Page.every_unit.filter(unit=unit).values_list("slug", flat=True)) == [
        "tong-quan",
        "lich-su",
        "co-cau-to-chuc",
    ]
    poll = Poll.every_unit.get(unit=unit)
    assert not poll.is_active and poll.choices.count() == 5 and not poll.vote_records.exists()
    assert set(groups.ALL) <= set(Group.objects.values_list("name", flat=True))


def test_a_new_units_portal_answers_on_its_host_with_its_own_name(client, province):
    """Right after creation the host serves the unit's home, intro page and category, nothing of another unit."""
    make_article("Tin của Kim Sơn")
    creating.create_unit("Kim Đông", "xa", ["kimdong.localhost"], parent=province)
    home = client.get("/", HTTP_HOST="kimdong.localhost")
    html = home.content.decode()
    assert home.status_code == 200
    assert "XÃ KIM ĐÔNG" in html and "UBND xã Kim Đông" in html and "Tin của Kim Sơn" not in html
    assert client.get("/gioi-thieu/tong-quan/", HTTP_HOST="kimdong.localhost").status_code == 200
    assert client.get("/chuyen-muc/chinh-tri/", HTTP_HOST="kimdong.localhost").status_code == 200
    assert "Chào mừng bạn đến với Trang thông tin điện tử xã Kim Đông" not in client.get("/").content.decode()


def test_an_editor_of_the_new_unit_can_publish_at_once(client, province):
    """The default category takes an article at once: the unit is ready to publish."""
    unit = creating.create_unit("Kim Đông", "xa", ["kimdong.localhost"], parent=province)
    with units.active(unit):
        make_article("Khai trương chợ Kim Đông", category=Category.objects.get(slug="kinh-te"))
    assert "Khai trương chợ Kim Đông" in client.get("/", HTTP_HOST="kimdong.localhost").content.decode()
    assert Article.every_unit.get(title="Khai trương chợ Kim Đông").unit == unit


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", "xa", ["a.localhost"]), "Cần ghi tên đơn vị"),
        (("A", "thon", ["a.localhost"]), "Cấp đơn vị không hợp lệ"),
        (("A", "xa", []), "Cần ít nhất một tên miền"),
        (("A", "xa", ["http://a.localhost/x"]), "Tên miền không hợp lệ"),
        (("A", "xa", ["127.0.0.1"]), "đã thuộc"),
    ],
)
def test_create_unit_refuses_bad_input(args, message):
    before = Unit.objects.count()
    with pytest.raises(units.UnitError, match=message):
        creating.create_unit(*args)
    assert Unit.objects.count() == before


def test_create_unit_refuses_an_unknown_or_non_province_parent_and_a_taken_code(province):
    commune = creating.create_unit("Kim Đông", "xa", ["kimdong.localhost"], parent=province)
    with pytest.raises(units.UnitError, match="Không có đơn vị mã ha-nam"):
        creating.create_unit("A", "xa", ["a.localhost"], parent="ha-nam")
    with pytest.raises(units.UnitError, match="không phải là một tỉnh"):
        creating.create_unit("A", "xa", ["a.localhost"], parent=commune)
    with pytest.raises(units.UnitError, match="Mã đơn vị kim-dong đã có"):
        creating.create_unit("A", "xa", ["a.localhost"], code="kim-dong")
    # Two communes of one name in two provinces: the derived code says which.
    assert creating.create_unit("Kim Đông", "xa", ["kd2.localhost"], parent=province).code == "kim-dong-ninh-binh"


def test_create_unit_command_says_what_it_made_and_fails_clearly(province):
    out = io.StringIO()
    call_command(
        "create_unit", "--name", "Kim Đông", "--host", "kimdong.localhost", "--parent", "ninh-binh", stdout=out
    )
    assert "Đã tạo Xã Kim Đông (mã kim-dong), tên miền: kimdong.localhost." in out.getvalue()
    with pytest.raises(CommandError, match="Tên miền kimdong.localhost đã thuộc Xã Kim Đông"):
        call_command("create_unit", "--name", "Khác", "--host", "KimDong.localhost")
    with pytest.raises(CommandError, match="Không có đơn vị mã khong-co"):
        call_command("create_unit", "--name", "Khác", "--host", "khac.localhost", "--parent", "khong-co")


def test_create_unit_command_warns_of_a_host_django_would_refuse(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    out = io.StringIO()
    call_command("create_unit", "--name", "Kim Đông", "--host", "kimdong.ninhbinh.gov.vn", stdout=out)
    assert "kimdong.ninhbinh.gov.vn chưa có trong ALLOWED_HOSTS" in out.getvalue()


def test_admin_add_unit_creates_it_in_one_step(client, province):
    """ "Thêm đơn vị": name, kind, province and host; the new unit has its settings, pages and poll."""
    client.force_login(make_staff("tinh", superuser=True))
    page = client.get(reverse("admin:portal_unit_add"))
    assert page.status_code == 200 and "Thêm đơn vị" in page.content.decode()
    response = client.post(
        reverse("admin:portal_unit_add"),
        {"name": "Kim Đông", "kind": "xa", "parent": province.pk, "host": "kimdong.localhost", "code": ""},
    )
    assert response.status_code == 302, response.content.decode()
    unit = Unit.objects.get(code="kim-dong")
    assert unit.main_host == "kimdong.localhost"
    assert Page.every_unit.filter(unit=unit).count() == 3 and Poll.every_unit.filter(unit=unit).exists()
    assert client.get(reverse("admin:portal_unit_change", args=[unit.pk])).status_code == 200
    listing = client.get(reverse("admin:portal_unit_changelist")).content.decode()
    assert "kimdong.localhost" in listing and "Bài viết 0" in listing


def test_admin_add_unit_shows_a_taken_host_on_the_form(client, province):
    client.force_login(make_staff("tinh", superuser=True))
    response = client.post(
        reverse("admin:portal_unit_add"), {"name": "Kim Đông", "kind": "xa", "parent": "", "host": "ninhbinh.localhost"}
    )
    assert response.status_code == 200
    assert "Tên miền ninhbinh.localhost đã thuộc Tỉnh Ninh Bình" in response.content.decode()
    assert not Unit.objects.filter(name="Kim Đông").exists()


def test_only_unit_managers_see_units_in_admin(client):
    """An editor without the unit permissions gets no unit list nor form."""
    client.force_login(make_staff("bientap", group=groups.EDITORS))
    assert client.get(reverse("admin:portal_unit_changelist")).status_code == 403
    assert client.get(reverse("admin:portal_unit_add")).status_code == 403
