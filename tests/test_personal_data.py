"""Citizens' personal data as Nghị định 13/2023/NĐ-CP expects: consent, retention, export and erasure."""

import csv
import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback import privacy
from feedback.models import Feedback, FeedbackLog
from portal import units
from portal.management.commands.erase_expired_personal_data import months_before
from portal.models import SiteSettings
from portal.storage import PrivateStorage
from services.models import Dossier
from tests.factories import image_upload, make_procedure, make_staff, make_unit
from tests.test_feedback import form_data, make_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def closed_feedback(months_ago, **fields):
    fields.setdefault("status", Feedback.Status.PUBLISHED)
    fields.setdefault("answer", "Tờ khai và giấy chứng sinh.")
    fields.setdefault("public_title", "Hỏi về giấy tờ khai sinh")
    fields.setdefault("public_content", "Công dân hỏi cần giấy tờ gì để khai sinh.")
    item = make_feedback(**fields)
    Feedback.objects.filter(pk=item.pk).update(closed_at=months_before(timezone.now(), months_ago))
    item.refresh_from_db()
    return item


def test_consent_is_stored_with_time_version_and_the_text_shown(client):
    """The saved item keeps when consent was given, to which notice version, and the exact checkbox text."""
    form = client.get("/gop-y/").content.decode()
    assert privacy.CONSENT_TEXT in form
    before = timezone.now()
    assert client.post("/gop-y/", form_data()).status_code == 302
    item = Feedback.objects.get()
    assert before <= item.consent_at <= timezone.now()
    assert item.consent_version == privacy.POLICY_VERSION
    assert item.consent_text == privacy.CONSENT_TEXT


def test_privacy_notice_is_its_own_page_linked_from_the_form(client):
    """The form links to the notice; the notice names its version, the agency and the retention period."""
    site = SiteSettings.load()
    site.personal_data_retention_months = 18
    site.save()
    form = client.get("/gop-y/").content.decode()
    assert 'href="/gop-y/du-lieu-ca-nhan/"' in form
    response = client.get("/gop-y/du-lieu-ca-nhan/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thông báo xử lý dữ liệu cá nhân" in html and f"Phiên bản {privacy.POLICY_VERSION}" in html
    assert "Sau 18 tháng" in html and "13/2023/NĐ-CP" in html and site.agency in html


@pytest.mark.django_db(transaction=True)
def test_existing_consent_rows_migrate():
    """Items sent before consent had a version keep it: at their sending time, version 0, the old text."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("feedback", "0007_attachment_extensions_from_content")])
    old_apps = executor.loader.project_state([("feedback", "0007_attachment_extensions_from_content")]).apps
    OldFeedback = old_apps.get_model("feedback", "Feedback")
    sent = timezone.now() - timedelta(days=400)
    common = {"name": "A", "address": "B", "phone": "0912345678", "title": "T", "content": "C"}
    agreed = OldFeedback.objects.create(code="GY-2025-00001", consent=True, status="published", **common)
    rejected = OldFeedback.objects.create(code="GY-2025-00002", consent=False, status="rejected", **common)
    OldFeedback.objects.filter(pk=agreed.pk).update(created_at=sent, answered_at=sent + timedelta(days=3))
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    agreed = Feedback.objects.get(code="GY-2025-00001")
    assert agreed.consent_at == sent and agreed.consent_version == "0"
    assert agreed.consent_text.startswith("Tôi đồng ý để cơ quan tiếp nhận xử lý dữ liệu cá nhân")
    assert agreed.closed_at == sent + timedelta(days=3)
    rejected = Feedback.objects.get(code="GY-2025-00002")
    assert rejected.consent_at is None and rejected.closed_at is not None


def test_closing_and_reopening_sets_the_retention_start():
    item = make_feedback(status=Feedback.Status.PROCESSING)
    assert item.closed_at is None
    item.status, item.answer = Feedback.Status.ANSWERED, "Đã trả lời."
    item.save()
    assert item.closed_at is not None
    item.status = Feedback.Status.PROCESSING
    item.save()
    assert item.closed_at is None


def test_retention_command_erases_contact_data_of_old_closed_feedback(client):
    """After the retention period the sender's contacts, words and file go; the public Q&A stays."""
    storage = PrivateStorage()
    old = closed_feedback(25, content="Tôi là Trần Thị Bình, số 0987654321.")
    name = storage.save("feedback/2024/01/" + "c" * 32 + ".jpg", image_upload())
    Feedback.objects.filter(pk=old.pk).update(attachment=name, internal_note="Đã gọi cho bà Bình")
    recent = closed_feedback(23)
    still_open = make_feedback(status=Feedback.Status.PROCESSING)
    Feedback.objects.filter(pk=still_open.pk).update(created_at=timezone.now() - timedelta(days=1000))
    out = io.StringIO()
    call_command("erase_expired_personal_data", stdout=out)
    old.refresh_from_db()
    assert (old.name, old.address, old.phone, old.email, old.internal_note, old.attachment.name) == ("",) * 6
    assert old.title == "Hỏi về giấy tờ khai sinh" and "0987654321" not in old.content
    assert old.answer == "Tờ khai và giấy chứng sinh." and old.personal_data_erased_at
    assert not storage.exists(name)
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.phone == "0987654321" and kept.personal_data_erased_at is None
    assert "Đã xoá dữ liệu cá nhân của 1 góp ý" in out.getvalue()
    assert "Thời hạn lưu giữ: 24 tháng." in out.getvalue()
    html = client.get("/gop-y/hoi-dap/").content.decode()
    assert "Công dân hỏi cần giấy tờ gì để khai sinh." in html
    out = io.StringIO()
    call_command("erase_expired_personal_data", stdout=out)
    assert "Đã xoá dữ liệu cá nhân của 0 góp ý" in out.getvalue()


def test_retention_period_is_set_in_admin():
    """A shorter period in Cấu hình trang reaches items closed more recently; unpublished ones lose their words."""
    site = SiteSettings.load()
    assert site.personal_data_retention_months == 24
    site.personal_data_retention_months = 6
    site.save()
    rejected = closed_feedback(7, status=Feedback.Status.REJECTED, public_title="", public_content="", answer="")
    call_command("erase_expired_personal_data", stdout=io.StringIO())
    rejected.refresh_from_db()
    assert rejected.phone == "" and rejected.title == rejected.content == Feedback.ERASED


def test_each_unit_keeps_its_own_retention_period():
    """A commune that keeps data 6 months loses its 7-month-old contacts; the first unit (24 months) keeps its own."""
    commune = make_unit("Kim Đông", "kimdong.localhost")
    with units.active(commune):
        site = SiteSettings.load()
        site.personal_data_retention_months = 6
        site.save()
        theirs = closed_feedback(7)
    ours = closed_feedback(7)
    out = io.StringIO()
    call_command("erase_expired_personal_data", stdout=out)
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert theirs.phone == "" and ours.phone == "0987654321"
    assert "Xã Kim Đông: Thời hạn lưu giữ: 6 tháng." in out.getvalue()


def test_retention_command_erases_old_closed_dossiers():
    procedure = make_procedure()
    old = Dossier.objects.create(
        procedure=procedure,
        applicant_name="Lê Văn Cũ",
        applicant_phone="0912345678",
        received_on=date(2023, 1, 2),
        due_on=date(2023, 1, 5),
    )
    old.record(Dossier.Status.RETURNED, at=timezone.now() - timedelta(days=800))
    current = Dossier.objects.create(
        procedure=procedure,
        applicant_name="Phạm Mới",
        applicant_phone="0987654321",
        received_on=date(2026, 11, 2),
        due_on=date(2026, 11, 5),
    )
    current.record(Dossier.Status.RETURNED)
    out = io.StringIO()
    call_command("erase_expired_personal_data", stdout=out)
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.applicant_name == old.applicant_phone == ""
    assert current.applicant_phone == "0987654321"
    assert "Đã xoá dữ liệu cá nhân của 1 hồ sơ" in out.getvalue()
    assert Dossier.objects.matching(old.receipt_code, "5678") is None


@pytest.mark.parametrize(
    "moment, months, expected",
    [
        (datetime(2026, 12, 1, 9, 30), 24, datetime(2024, 12, 1, 9, 30)),
        (datetime(2026, 3, 31), 1, datetime(2026, 2, 28)),
        (datetime(2026, 1, 15), 13, datetime(2024, 12, 15)),
    ],
)
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected


def test_make_run_and_the_production_recipe_schedule_the_command():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    run_target = (root / "Makefile").read_text().split("\nrun:")[1].split("\n\n")[0]
    assert "manage.py erase_expired_personal_data" in run_target
    service = (root / "deploy/systemd/kimson-erase-personal-data.service").read_text()
    assert re.search(r"^ExecStart=\S+ manage\.py erase_expired_personal_data$", service, re.M)
    assert "OnCalendar=" in (root / "deploy/systemd/kimson-erase-personal-data.timer").read_text()
    enable = re.search(r"^systemctl enable --now .*$", (root / "README.md").read_text(), re.M).group()
    assert "kimson-erase-personal-data.timer" in enable


def changelist_action(client, url, action, items, **extra):
    return client.post(url, {"action": action, "_selected_action": [i.pk for i in items], **extra})


def test_staff_export_one_citizens_feedback_as_json_and_csv(client):
    """Reception staff find a citizen by phone, tick their items and download them; the download is logged."""
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    mine = [make_feedback(title="Thứ nhất"), make_feedback(title="Thứ hai")]
    make_feedback(phone="0911111111", title="Của người khác")
    listing = client.get("/admin/feedback/feedback/", {"q": "0987654321"}).content.decode()
    assert "Thứ nhất" in listing and "Của người khác" not in listing
    response = changelist_action(client, "/admin/feedback/feedback/", "export_json", mine)
    assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="du-lieu-gop-y-')
    rows = json.loads(response.content)
    assert {row["Tiêu đề"] for row in rows} == {"Thứ nhất", "Thứ hai"}
    assert rows[0]["Điện thoại"] == "0987654321" and rows[0]["Phiên bản thông báo"] == ""
    response = changelist_action(client, "/admin/feedback/feedback/", "export_csv", mine)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) == 2 and table[0]["Thư điện tử"] == "binh.tran@example.com"
    assert (
        FeedbackLog.objects.filter(changes__startswith="Xuất dữ liệu cá nhân", user__username="tiepnhan").count() == 4
    )


def test_staff_erase_one_citizens_feedback_on_request(client):
    """Erasing asks for confirmation first, then removes the contact data and logs who did it."""
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    item = make_feedback()
    other = make_feedback(phone="0911111111")
    response = changelist_action(client, "/admin/feedback/feedback/", "erase_on_request", [item])
    assert response.status_code == 200
    assert "sẽ bị xoá vĩnh viễn" in response.content.decode()
    item.refresh_from_db()
    assert item.phone == "0987654321"
    response = changelist_action(client, "/admin/feedback/feedback/", "erase_on_request", [item], post="yes")
    assert response.status_code == 302
    item.refresh_from_db()
    other.refresh_from_db()
    assert item.phone == item.email == item.name == "" and item.personal_data_erased_at
    assert other.phone == "0911111111"
    assert FeedbackLog.objects.get(feedback=item).changes == "Xoá dữ liệu cá nhân theo yêu cầu của người dân"
    follow = client.get(response["Location"]).content.decode()
    assert "Đã xoá dữ liệu cá nhân của 1 góp ý." in follow


def test_staff_export_and_erase_a_dossier_applicants_data(client):
    client.force_login(make_staff("admin", superuser=True))
    dossier = Dossier.objects.create(
        procedure=make_procedure(),
        applicant_name="Nguyễn Văn An",
        applicant_phone="0912345678",
        received_on=date(2026, 11, 20),
        due_on=date(2026, 11, 25),
    )
    response = changelist_action(client, "/admin/services/dossier/", "export_json", [dossier])
    (row,) = json.loads(response.content)
    assert row["Điện thoại người nộp"] == "0912345678" and row["Thủ tục"] == "Đăng ký khai sinh"
    assert row["Ngày tiếp nhận"] == "20/11/2026"
    changelist_action(client, "/admin/services/dossier/", "erase_on_request", [dossier], post="yes")
    dossier.refresh_from_db()
    assert dossier.applicant_name == dossier.applicant_phone == ""


def test_editors_cannot_export_citizens_data(client):
    client.force_login(make_staff("bientap", group="Biên tập viên"))
    item = make_feedback()
    assert changelist_action(client, "/admin/feedback/feedback/", "export_json", [item]).status_code == 403
