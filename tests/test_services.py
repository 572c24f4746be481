import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import creating, units
from portal.text import mask_name
from services.models import Dossier, Procedure, ProcedureForm, ServiceSettings, validate_form_file
from tests.factories import make_procedure, make_staff, pdf_upload, text_upload

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36"


def make_dossier(code="", applicant="Nguyễn Văn An", procedure=None, phone="0912345678"):
    return Dossier.objects.create(
        receipt_code=code,
        procedure=procedure or make_procedure(),
        applicant_name=applicant,
        applicant_phone=phone,
        received_on=date(2026, 11, 20),
        due_on=date(2026, 11, 25),
    )


def lookup(client, code, digits="5678"):
    return client.post("/mot-cua/tra-cuu/", {"ma": code, "so_cuoi": digits})


@pytest.mark.parametrize(
    "name, masked",
    [
        ("Nguyễn Văn An", "Nguyễn V*** A**"),
        ("Lê Thị Hồng Nhung", "Lê T*** H**** N*****"),
        ("Đặng   Ánh", "Đặng Á***"),
        ("Tú", "T**"),
        ("", ""),
    ],
)
def test_masked_names(name, masked):
    """Only the family name and initials show."""
    assert mask_name(name) == masked


def test_procedure_list_by_field_and_detail(client):
    """Procedures are grouped by field; the detail shows time, fee, papers, forms and the online link."""
    birth = make_procedure()
    make_procedure("Cấp giấy phép xây dựng nhà ở", "Xây dựng")
    make_procedure("Thủ tục ẩn", "Xây dựng", is_published=False)
    ProcedureForm.objects.create(procedure=birth, title="Tờ khai khai sinh", file=pdf_upload("to khai.pdf"))
    html = client.get("/mot-cua/", {"linh-vuc": birth.sector_id}).content.decode()
    assert "Đăng ký khai sinh" in html and "Cấp giấy phép xây dựng" not in html
    assert "Thủ tục ẩn" not in client.get("/mot-cua/").content.decode()
    html = client.get(birth.get_absolute_url()).content.decode()
    for text in (
        "Ngay trong ngày",
        "Miễn lệ phí",
        "<li>Giấy chứng sinh</li>",
        "Tờ khai khai sinh",
        "https://dichvucong.ninhbinh.gov.vn",
    ):
        assert text in html
    assert client.get(Procedure.objects.get(name="Thủ tục ẩn").get_absolute_url()).status_code == 404


def test_online_portal_link_is_editable(client):
    """Changing the setting in admin changes every procedure's "Nộp hồ sơ trực tuyến" link."""
    procedure = make_procedure()
    settings_row = ServiceSettings.load()
    settings_row.portal_url = "https://dvc.example.gov.vn/"
    settings_row.save()
    assert 'href="https://dvc.example.gov.vn/"' in client.get(procedure.get_absolute_url()).content.decode()


def test_procedure_search_ignores_accents(client):
    make_procedure()
    make_procedure("Đăng ký kết hôn")
    html = client.get("/mot-cua/", {"q": "khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in html and "Đăng ký kết hôn" not in html


def test_unknown_field_is_404(client):
    assert client.get("/mot-cua/", {"linh-vuc": "9999"}).status_code == 404


def test_form_download_headers(client):
    item = ProcedureForm.objects.create(procedure=make_procedure(), title="Tờ khai", file=pdf_upload())
    response = client.get(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == "attachment; filename=\"To khai.pdf\"; filename*=UTF-8''T%E1%BB%9D%20khai.pdf"
    )
    item.refresh_from_db()
    assert item.download_count == 1


def test_form_upload_checked_by_content():
    with pytest.raises(ValidationError):
        validate_form_file(text_upload("mau.docx"))


def test_dossier_lookup_shows_timeline_with_masked_name(client):
    """A citizen sees each step in order and the applicant's name masked, never in full."""
    dossier = make_dossier()
    dossier.record(Dossier.Status.RECEIVED)
    dossier.record(Dossier.Status.SUPPLEMENT, "Đề nghị bổ sung giấy chứng sinh.")
    response = lookup(client, f" {dossier.receipt_code.lower()} ")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn V*** A**" in html and "Nguyễn Văn An" not in html
    steps = re.findall(r'<ol class="timeline">(.*?)</ol>', html, re.S)[0]
    assert re.findall(r"<strong>([^<]+)</strong>", steps) == ["Đã tiếp nhận", "Yêu cầu bổ sung hồ sơ"]
    assert "Đề nghị bổ sung giấy chứng sinh." in steps
    assert "<strong>Yêu cầu bổ sung hồ sơ</strong></td>" in html  # the current status
    assert "25/11/2026" in html
    assert 'value="5678"' not in html  # the second factor is not echoed back


def test_receipt_codes_have_a_random_part(client):
    """Codes are made on save: unit prefix, day of receipt, six random characters; never a counter."""
    settings_row = ServiceSettings.load()
    settings_row.receipt_prefix = "000.00.31.H42"
    settings_row.save()
    codes = [make_dossier(applicant=f"Người {n}").receipt_code for n in range(20)]
    for code in codes:
        assert re.fullmatch(r"000\.00\.31\.H42-261120-[2-9A-HJKMNP-Z]{6}", code), code
    assert len(set(codes)) == 20
    assert len({code[-6:] for code in codes}) == 20


def test_dossier_lookup_needs_the_last_phone_digits(client):
    """The code alone shows nothing: the last 4 digits of the phone on the dossier are asked for."""
    dossier = make_dossier()
    dossier.record(Dossier.Status.RECEIVED)
    assert lookup(client, dossier.receipt_code, "5678").status_code == 200
    response = client.get("/mot-cua/tra-cuu/", {"ma": dossier.receipt_code})
    html = response.content.decode()
    assert response.status_code == 200 and f'value="{dossier.receipt_code}"' in html  # a printed link fills the code in
    assert "Nguyễn V*** A**" not in html and "timeline" not in html
    assert "4 số cuối điện thoại người nộp" in html


def test_dossier_lookup_never_tells_whether_a_code_exists(client):
    """A wrong code, the right code with wrong digits, and a dossier with no phone get the same 404 page."""
    dossier = make_dossier()
    no_phone = make_dossier(applicant="Lê Văn Cũ", phone="")
    answers = [
        lookup(client, "000.00.25.H42-261120-ZZZZZZ", "5678"),
        lookup(client, dossier.receipt_code, "1111"),
        lookup(client, no_phone.receipt_code, "0000"),
    ]
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*"', "", r.content.decode())  # noqa: E731
    assert {r.status_code for r in answers} == {404}
    assert strip(answers[0]) == strip(answers[1]) == strip(answers[2])
    assert "Không tìm thấy hồ sơ khớp với mã biên nhận và 4 số cuối điện thoại đã nhập." in strip(answers[0])
    assert "Nguyễn V***" not in strip(answers[1])


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"ma": "", "so_cuoi": "5678"}, "ma", "Vui lòng nhập mã biên nhận hồ sơ."),
        ({"ma": "H42-1", "so_cuoi": ""}, "so_cuoi", "Vui lòng nhập 4 số cuối điện thoại của người nộp hồ sơ."),
        (
            {"ma": "H42-1", "so_cuoi": "56a8"},
            "so_cuoi",
            "Vui lòng nhập đúng 4 chữ số cuối của số điện thoại, ví dụ 5678.",
        ),
        (
            {"ma": "H42-1", "so_cuoi": "345678"},
            "so_cuoi",
            "Vui lòng nhập đúng 4 chữ số cuối của số điện thoại, ví dụ 5678.",
        ),
    ],
)
def test_dossier_lookup_form_messages(client, data, field, message):
    """A missing or malformed field is a 400 with its Vietnamese message."""
    response = client.post("/mot-cua/tra-cuu/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html


def test_dossier_lookup_is_rate_limited(client, settings):
    settings.DOSSIER_LOOKUP_RATE = "2/m"
    for _ in range(2):
        lookup(client, "x")
    assert lookup(client, "x").status_code == 429
    assert client.get("/mot-cua/tra-cuu/").status_code == 200  # reading the form is never limited


def test_admin_records_status_history(client):
    """Staff add a step in admin; the dossier's status follows, and a new dossier starts as received."""
    client.force_login(make_staff("admin", superuser=True))
    procedure = make_procedure()
    add = {
        "procedure": procedure.pk,
        "applicant_name": "Trần Thị Bình",
        "applicant_phone": "",
        "received_on": "2026-11-20",
        "due_on": "2026-11-25",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    response = client.post("/admin/services/dossier/add/", add)
    assert response.status_code == 200
    assert "Vui lòng nhập số điện thoại của người nộp" in response.content.decode()
    response = client.post(
        "/admin/services/dossier/add/",
        {
            "procedure": procedure.pk,
            "applicant_name": "Trần Thị Bình",
            "applicant_phone": "+84 987 654 321",
            "received_on": "2026-11-20",
            "due_on": "2026-11-25",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "events-MIN_NUM_FORMS": "0",
            "events-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == "received" and dossier.events.count() == 1
    assert dossier.applicant_phone == "0987654321" and dossier.receipt_code.startswith("000.00.25.H42-261120-")
    change = {
        "receipt_code": "H42-forged",
        "procedure": procedure.pk,
        "applicant_name": "Trần Thị Bình",
        "applicant_phone": "0987654321",
        "received_on": "2026-11-20",
        "due_on": "2026-11-25",
        "events-TOTAL_FORMS": "2",
        "events-INITIAL_FORMS": "1",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
        "events-0-id": dossier.events.get().pk,
        "events-0-dossier": dossier.pk,
        "events-0-at_0": "2026-11-20",
        "events-0-at_1": "07:30:00",
        "events-0-status": "received",
        "events-1-dossier": dossier.pk,
        "events-1-at_0": "2026-11-21",
        "events-1-at_1": "09:00:00",
        "events-1-status": "processing",
        "events-1-note": "Chuyển phòng chuyên môn",
    }
    assert client.post(f"/admin/services/dossier/{dossier.pk}/change/", change).status_code == 302
    code = dossier.receipt_code
    dossier.refresh_from_db()
    assert dossier.status == "processing" and dossier.receipt_code == code  # staff cannot pick a code
    assert list(dossier.events.values_list("status", flat=True)) == ["received", "processing"]


def test_procedure_list_query_count_is_constant(client):
    """The list costs the same queries for 3 or 30 procedures."""

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get("/mot-cua/")
        return len(captured)

    for n in range(3):
        make_procedure(f"Thủ tục {n}", f"Lĩnh vực {n}")
    client.get("/mot-cua/")
    few = count()
    for n in range(3, 30):
        make_procedure(f"Thủ tục {n}", f"Lĩnh vực {n % 5}")
    client.get("/mot-cua/")  # the frame again: saving content made its kept parts stale
    assert count() == few <= 10


def test_demo_seed_is_idempotent():
    from services import demo

    demo.seed(lambda _: None)
    demo.seed(lambda _: None)
    assert Procedure.objects.count() == 8
    assert Dossier.objects.filter(status="returned").count() == 1
    assert (date.today() - timedelta(days=30)) < Dossier.objects.earliest("received_on").received_on


def test_procedure_list_names_the_units_level(client):
    """The one-stop-shop intro says whose powers these are from the unit's level, not a fixed "huyện"."""
    from portal.models import SiteSettings

    settings_row = SiteSettings.load()
    settings_row.unit_level = "Xã"
    settings_row.save()
    page = client.get("/mot-cua/").content.decode()
    assert "thuộc thẩm quyền giải quyết của xã." in page and "của huyện" not in page


# Each unit's receipt codes start with its own prefix (docs/units.md "Creating a unit").


def unit_dossier(unit, **fields):
    with units.active(unit):
        return make_dossier(procedure=make_procedure(f"Đăng ký khai sinh {unit.code}"), **fields)


def test_each_unit_issues_receipt_codes_with_its_own_prefix():
    """The first unit keeps 000.00.25.H42; a new unit's prefix comes from its code."""
    province = creating.create_unit("Ninh Bình", "tinh", ["ninhbinh.localhost"])
    kimdong = creating.create_unit("Kim Đông", "xa", ["kimdong.localhost"], parent=province)
    kimhai = creating.create_unit("Kim Hải", "xa", ["kimhai.localhost"], parent=province)
    assert ServiceSettings.every_unit.get(unit=kimdong).receipt_prefix == "KIMDONG"
    assert ServiceSettings.every_unit.get(unit=kimhai).receipt_prefix == "KIMHAI"
    assert make_dossier().receipt_code.startswith("000.00.25.H42-261120-")
    assert re.fullmatch(r"KIMDONG-261120-[2-9A-HJKMNP-Z]{6}", unit_dossier(kimdong).receipt_code)
    assert re.fullmatch(r"KIMHAI-261120-[2-9A-HJKMNP-Z]{6}", unit_dossier(kimhai).receipt_code)
    # A dossier made for a unit while another is served still takes its own unit's prefix.
    procedure = Procedure.every_unit.get(unit=kimhai)
    with units.active(kimdong):
        dossier = Dossier(procedure=procedure, unit=kimhai, applicant_name="A", received_on=date(2026, 11, 20))
        dossier.due_on = date(2026, 11, 25)
        dossier.save()
    assert dossier.receipt_code.startswith("KIMHAI-261120-")


def test_a_new_units_prefix_is_its_own():
    """A code written as the official identifier gives it; two codes of the same letters differ."""
    official = creating.create_unit("Kim Đông", "xa", ["kimdong.localhost"], code="000-21-25-h42")
    assert ServiceSettings.every_unit.get(unit=official).receipt_prefix == "000.21.25.H42"
    one = creating.create_unit("Kim Hải", "xa", ["kimhai.localhost"], code="kim-hai")
    two = creating.create_unit("Kim Hải", "phuong", ["kimhai2.localhost"], code="kimhai")
    long = creating.create_unit("Kim Hải", "xa", ["kimhai3.localhost"], code="kim-hai-ninh-binh-vung-bien-moi")
    prefixes = [ServiceSettings.every_unit.get(unit=unit).receipt_prefix for unit in (one, two, long)]
    assert prefixes == ["KIMHAI", "KIMHAI2", "KIMHAININHBINHVUNGBI"]


def test_the_prefix_is_checked_in_admin(client):
    """Letters, digits and dots, upper-cased; another unit's prefix is refused, in Vietnamese."""
    kimdong = creating.create_unit("Kim Đông", "xa", ["kimdong.localhost"])
    client.force_login(make_staff("admin", superuser=True))
    row = ServiceSettings.load()
    url = reverse("admin:services_servicesettings_change", args=[row.pk])
    data = {
        "portal_name": row.portal_name,
        "portal_url": row.portal_url,
        "national_portal_url": row.national_portal_url,
    }
    for value, message in (
        ("000.00.25-H42", "Mã đơn vị trên giấy biên nhận chỉ gồm chữ cái không dấu, chữ số và dấu chấm"),
        ("KIM ĐÔNG", "Mã đơn vị trên giấy biên nhận chỉ gồm chữ cái không dấu, chữ số và dấu chấm"),
        (".H42", "Mã đơn vị trên giấy biên nhận chỉ gồm chữ cái không dấu, chữ số và dấu chấm"),
        ("kimdong", "Mã KIMDONG đã dùng cho Xã Kim Đông"),
    ):
        response = client.post(url, {**data, "receipt_prefix": value})
        assert response.status_code == 200 and message in response.content.decode(), value
    assert ServiceSettings.every_unit.get(pk=row.pk).receipt_prefix == "000.00.25.H42"
    response = client.post(url, {**data, "receipt_prefix": " 000.00.31.h42 "})
    assert response.status_code == 302
    assert ServiceSettings.every_unit.get(pk=row.pk).receipt_prefix == "000.00.31.H42"
    assert make_dossier().receipt_code.startswith("000.00.31.H42-")
    # The new unit's own page, on its host.
    theirs = ServiceSettings.every_unit.get(unit=kimdong)
    page = client.get(f"/admin/services/servicesettings/{theirs.pk}/change/", HTTP_HOST="kimdong.localhost")
    assert page.status_code == 200 and 'value="KIMDONG"' in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_existing_units_get_their_own_prefix_and_the_first_keeps_its_own():
    """Units made before the prefix was derived all had 000.00.25.H42: the first keeps it."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("services", "0005_units")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldUnit = old_apps.get_model("portal", "Unit")
    OldSettings = old_apps.get_model("services", "ServiceSettings")
    first = OldUnit.objects.order_by("pk").first()
    kimdong = OldUnit.objects.create(name="Kim Đông", kind="xa", code="kim-dong")
    custom = OldUnit.objects.create(name="Kim Hải", kind="xa", code="kim-hai")
    OldSettings.objects.create(unit=first, receipt_prefix="000.00.25.H42")
    OldSettings.objects.create(unit=kimdong, receipt_prefix="000.00.25.H42")
    OldSettings.objects.create(unit=custom, receipt_prefix="000.00.30.H42")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    prefixes = dict(ServiceSettings.every_unit.values_list("unit__code", "receipt_prefix"))
    assert prefixes == {first.code: "000.00.25.H42", "kim-dong": "KIMDONG", "kim-hai": "000.00.30.H42"}
