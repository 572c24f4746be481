import re
import time

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback import spam
from feedback.models import Feedback, FeedbackLog, TrackingCounter
from portal.phones import normalize_phone
from tests.factories import image_upload, make_staff, pdf_upload, text_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def form_data(**overrides):
    data = {
        "name": "Nguyễn Văn An",
        "address": "Xóm 5, xã Kim Định",
        "phone": "0912345678",
        "email": "an.nguyen@example.com",
        "title": "Đề nghị sửa đường liên xóm",
        "content": "Đoạn đường xóm 5 có nhiều ổ gà.",
        "consent": "on",
        "website": "",
        "started": spam.started_token(time.time() - 60),
    }
    data.update(overrides)
    return data


def make_feedback(**fields):
    fields.setdefault("name", "Trần Thị Bình")
    fields.setdefault("address", "Số 12 phố Phát Diệm")
    fields.setdefault("phone", "0987654321")
    fields.setdefault("email", "binh.tran@example.com")
    fields.setdefault("title", "Hỏi về khai sinh")
    fields.setdefault("content", "Cần giấy tờ gì?")
    if fields.get("status") == Feedback.Status.PUBLISHED:
        fields.setdefault("public_title", fields["title"])
        fields.setdefault("public_content", fields["content"])
    return Feedback.objects.create(**fields)


def errors_of(response):
    """{field id: error text} as a reader of the page sees them."""
    html = response.content.decode()
    return dict(re.findall(r'<ul class="errorlist" id="id_(\w+)_error"><li>(.*?)</li>', html))


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("0229 3862 152", "02293862152"),
        ("0229.3862.152", "02293862152"),
        ("091234567", ""),
        ("0112345678", ""),
        ("abc", ""),
    ],
)
def test_vietnamese_phone_numbers(raw, normal):
    """Mobiles, +84 and landlines with spaces are accepted and stored in one form."""
    assert normalize_phone(raw) == normal


def test_submit_gives_a_tracking_code_and_mails_it(client):
    """A good submission is saved, shows GY-<year>-00001 and e-mails it to the citizen and staff."""
    response = client.post("/gop-y/", form_data(), follow=True)
    item = Feedback.objects.get()
    assert re.fullmatch(r"GY-\d{4}-00001", item.code)
    assert item.phone == "0912345678" and item.consent_at
    assert item.code in response.content.decode()
    recipients = [m.to[0] for m in mail.outbox]
    assert "an.nguyen@example.com" in recipients
    assert "ubndkimson@ninhbinh.gov.vn" in recipients
    assert any(item.code in m.body for m in mail.outbox if m.to == ["an.nguyen@example.com"])


def test_staff_notification_goes_to_configured_list(client, settings):
    """FEEDBACK_NOTIFY_EMAILS overrides the site e-mail for staff notices."""
    settings.FEEDBACK_NOTIFY_EMAILS = ["tiepnhan@kimson.gov.vn"]
    client.post("/gop-y/", form_data(email=""))
    assert [m.to for m in mail.outbox] == [["tiepnhan@kimson.gov.vn"]]


def test_mail_failure_keeps_the_feedback(client, settings):
    """A broken mail server still gives the citizen a code; the item is saved."""
    settings.EMAIL_BACKEND = "tests.test_feedback.BrokenBackend"
    response = client.post("/gop-y/", form_data(), follow=True)
    item = Feedback.objects.get()
    html = response.content.decode()
    assert item.code in html
    assert "Chưa gửi được thư xác nhận" in html


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def test_codes_count_up_within_a_year():
    """Codes are sequential per year and the counter restarts for a new year."""
    assert TrackingCounter.next_code(2026) == "GY-2026-00001"
    assert TrackingCounter.next_code(2026) == "GY-2026-00002"
    assert TrackingCounter.next_code(2027) == "GY-2027-00001"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "", "Vui lòng nhập họ và tên."),
        ("address", "", "Vui lòng nhập địa chỉ."),
        ("phone", "", "Vui lòng nhập số điện thoại."),
        ("phone", "12345", "Số điện thoại không hợp lệ. Ví dụ: 0912345678, +84912345678 hoặc 0229 3862 152."),
        ("email", "an@", "Địa chỉ thư điện tử không hợp lệ. Ví dụ: ten@gmail.com."),
        ("title", "", "Vui lòng nhập tiêu đề."),
        ("title", "x" * 201, "Tiêu đề tối đa 200 ký tự (hiện có 201)."),
        ("content", "", "Vui lòng nhập nội dung góp ý."),
        ("content", "x" * 5001, "Nội dung tối đa 5000 ký tự (hiện có 5001)."),
        ("consent", "", "Vui lòng đánh dấu đồng ý xử lý dữ liệu cá nhân để gửi góp ý."),
    ],
)
def test_each_validation_message_is_tied_to_its_field(client, field, value, message):
    """A bad field shows its Vietnamese message next to it, linked by aria-describedby; input is kept."""
    data = form_data(**{field: value})
    if field == "consent":
        del data["consent"]
    response = client.post("/gop-y/", data)
    assert response.status_code == 400
    assert errors_of(response) == {field: message}
    html = response.content.decode()
    assert re.search(rf'id="id_{field}"[^>]*aria-describedby="id_{field}_error', html) or re.search(
        rf'aria-describedby="id_{field}_error[^"]*"[^>]*id="id_{field}"', html
    )
    assert "Đoạn đường xóm 5 có nhiều ổ gà." in html or field == "content"
    assert 'value="Xóm 5, xã Kim Định"' in html or field == "address"
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("name", ["gia-mao.pdf", "gia-mao.jpg"])
def test_attachment_is_checked_by_content(client, name):
    """A text file renamed .pdf or .jpg is refused, and the page says to choose the file again."""
    response = client.post("/gop-y/", {**form_data(), "attachment": text_upload(name)})
    assert response.status_code == 400
    assert errors_of(response) == {
        "attachment": "Nội dung tệp không đúng định dạng cho phép (PDF, GIF, JPEG, PNG, WebP)."
    }
    assert "vui lòng chọn lại tệp" in response.content.decode()
    assert not Feedback.objects.exists()


def test_attachment_size_cap(client, settings):
    """A file over the cap is refused with the limit in the message."""
    settings.FEEDBACK_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = pdf_upload()
    big = SimpleUploadedFile("lon.pdf", big.read() + b"0" * (1024 * 1024), content_type="application/pdf")
    response = client.post("/gop-y/", {**form_data(), "attachment": big})
    assert errors_of(response) == {"attachment": "Tệp quá lớn: tối đa 1 MB."}


@pytest.mark.parametrize("upload", [pdf_upload, image_upload])
def test_real_pdf_or_image_is_accepted(client, settings, upload):
    """A real PDF or photo is stored privately under a random name and only staff can download it."""
    client.post("/gop-y/", {**form_data(), "attachment": upload()})
    item = Feedback.objects.get()
    assert item.attachment and "van-ban" not in item.attachment.name and "anh" not in item.attachment.name
    assert (settings.PRIVATE_MEDIA_ROOT / item.attachment.name).exists()
    assert not (settings.MEDIA_ROOT / item.attachment.name).exists()
    assert client.get(f"/gop-y/tep-dinh-kem/{item.pk}/").status_code == 403
    client.force_login(make_staff("tn", group="Cán bộ tiếp nhận"))
    response = client.get(f"/gop-y/tep-dinh-kem/{item.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] in ("application/pdf", "image/jpeg")


@pytest.mark.parametrize(
    "upload, extension", [(lambda: image_upload("anh.html"), ".jpg"), (lambda: pdf_upload("x.exe"), ".pdf")]
)
def test_attachment_is_stored_with_the_extension_of_its_content(client, settings, upload, extension):
    """A real photo named ….html is stored as a random name ending .jpg: the citizen's extension is never kept."""
    assert client.post("/gop-y/", {**form_data(), "attachment": upload()}).status_code == 302
    name = Feedback.objects.get().attachment.name
    assert re.fullmatch(rf"kim-son/feedback/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\{extension}", name), name
    assert (settings.PRIVATE_MEDIA_ROOT / name).exists()


def test_migration_renames_stored_attachments_by_content(settings):
    """Files stored before the fix with the citizen's extension are renamed to their real type's."""
    import importlib

    from django.apps import apps

    from portal.storage import PrivateStorage

    storage = PrivateStorage()
    old = storage.save("feedback/2026/11/" + "a" * 32 + ".html", image_upload())
    item = make_feedback()
    Feedback.objects.filter(pk=item.pk).update(attachment=old)
    good = make_feedback()
    kept = storage.save("feedback/2026/11/" + "b" * 32 + ".pdf", pdf_upload())
    Feedback.objects.filter(pk=good.pk).update(attachment=kept)
    migration = importlib.import_module("feedback.migrations.0007_attachment_extensions_from_content")
    migration.rename_by_content(apps, None)
    item.refresh_from_db()
    good.refresh_from_db()
    assert item.attachment.name == "feedback/2026/11/" + "a" * 32 + ".jpg"
    assert storage.exists(item.attachment.name) and not storage.exists(old)
    assert good.attachment.name == kept and storage.exists(kept)


def test_honeypot_is_refused_and_input_kept(client):
    """A filled hidden field is treated as a bot: nothing saved, nothing lost on screen."""
    response = client.post("/gop-y/", form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not Feedback.objects.exists()
    assert "Đề nghị sửa đường liên xóm" in response.content.decode()


@pytest.mark.parametrize("started", [None, "forged-token"])
def test_missing_or_forged_timer_is_refused(client, started):
    """Sent with a missing or forged timer: not saved, what was typed is shown again."""
    data = form_data()
    if started is None:
        del data["started"]
    else:
        data["started"] = started
    response = client.post("/gop-y/", data)
    assert response.status_code == 400
    assert "Không gửi được góp ý" in response.content.decode()
    assert "Đoạn đường xóm 5 có nhiều ổ gà." in response.content.decode()
    assert not Feedback.objects.exists()


def test_too_fast_gets_a_specific_message_and_keeps_the_input(client, settings):
    """Sent a second after opening: explained, input kept, and it can be sent again."""
    assert settings.FEEDBACK_MIN_FILL_SECONDS == 3
    response = client.post("/gop-y/", form_data(started=spam.started_token(time.time() - 1)))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Bạn gửi quá nhanh sau khi mở trang; vui lòng kiểm tra lại nội dung rồi bấm Gửi lần nữa." in html
    assert "Đoạn đường xóm 5 có nhiều ổ gà." in html and "Nguyễn Văn An" in html
    assert not Feedback.objects.exists()
    assert client.post("/gop-y/", form_data(started=spam.started_token(time.time() - 4))).status_code == 302


def test_rate_limit_per_address(client, settings):
    """After the allowed number of posts from one address, the next gets 429, is not saved, keeps its text."""
    settings.FEEDBACK_RATE = "2/h"
    for _ in range(2):
        client.post("/gop-y/", form_data(email=""))
    response = client.post("/gop-y/", form_data(email="", content="Nội dung thứ ba chưa gửi được."))
    html = response.content.decode()
    assert response.status_code == 429
    assert Feedback.objects.count() == 2
    assert "đã có 2 góp ý được gửi trong 1 giờ" in html
    assert "Nội dung thứ ba chưa gửi được." in html and 'name="title"' in html


def test_rate_limit_counts_only_accepted_submissions(client, settings):
    """Invalid, too-fast and honeypot posts do not use up the hourly allowance."""
    settings.FEEDBACK_RATE = "2/h"
    for _ in range(3):
        assert client.post("/gop-y/", form_data(phone="12")).status_code == 400
        assert client.post("/gop-y/", form_data(started=spam.started_token())).status_code == 400
        assert client.post("/gop-y/", form_data(website="x")).status_code == 400
    for _ in range(2):
        assert client.post("/gop-y/", form_data(email="")).status_code == 302
    assert Feedback.objects.count() == 2
    assert client.post("/gop-y/", form_data(email="")).status_code == 429


def test_form_token_is_single_use(client):
    """One shown form sends one feedback: replaying its timer token is refused, with the text kept."""
    token = spam.started_token(time.time() - 60)
    assert client.post("/gop-y/", form_data(started=token)).status_code == 302
    response = client.post("/gop-y/", form_data(started=token, content="Gửi lại bằng cùng biểu mẫu."))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Biểu mẫu này đã được dùng để gửi một góp ý." in html
    assert "Gửi lại bằng cùng biểu mẫu." in html
    assert Feedback.objects.count() == 1
    fresh = re.search(r'name="started" value="([^"]+)"', html).group(1)
    assert fresh != token and spam.nonce(fresh) != spam.nonce(token)


def test_old_form_tokens_without_nonce_are_refused(client):
    """A token of the old kind (a bare signed time, reusable) is treated like a forged one."""
    from django.core import signing

    old = signing.dumps(time.time() - 60, salt=spam.SALT)
    response = client.post("/gop-y/", form_data(started=old))
    assert response.status_code == 400 and not Feedback.objects.exists()


def test_rate_limit_tolerates_a_shared_address(settings):
    """The default limits bursts (5 in 10 minutes), not a whole hour for a commune office's one address."""
    assert settings.FEEDBACK_RATE == "5/10m"


def test_rate_limit_message_states_the_real_wait(client, settings, monkeypatch):
    """Over the limit, the message says how many, in what period, and the minutes left in the window."""
    import zlib

    settings.FEEDBACK_RATE = "5/10m"
    base = 1_800_000_000
    window_end = base - base % 600 + zlib.crc32(b"127.0.0.1") % 600  # django-ratelimit's jittered window
    if window_end < base:
        window_end += 600
    now = window_end - 420  # seven minutes before the window ends
    monkeypatch.setattr(time, "time", lambda: now)
    for _ in range(5):
        assert client.post("/gop-y/", form_data(email="")).status_code == 302
    response = client.post("/gop-y/", form_data(email=""))
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "420"
    assert "đã có 5 góp ý được gửi trong 10 phút" in html
    assert "vui lòng bấm Gửi lại sau 7 phút." in html and "ít phút" not in html
    monkeypatch.setattr(time, "time", lambda: window_end + 1)
    assert client.post("/gop-y/", form_data(email="")).status_code == 302


def test_lookup_needs_code_and_contact(client):
    """The right code with the phone (any format) or e-mail shows the answer."""
    item = make_feedback(status=Feedback.Status.ANSWERED, answer="Đã giải quyết xong.")
    for contact in ("+84 987 654 321", "BINH.TRAN@example.com"):
        response = client.post("/gop-y/tra-cuu/", {"code": item.code.lower(), "contact": contact})
        assert response.status_code == 200
        assert "Đã giải quyết xong." in response.content.decode()


def test_lookup_cannot_enumerate_codes(client):
    """A wrong code and a right code with the wrong contact get the very same answer."""
    item = make_feedback(answer="Bí mật")
    wrong_code = client.post("/gop-y/tra-cuu/", {"code": "GY-2026-99999", "contact": "0987654321"})
    wrong_contact = client.post("/gop-y/tra-cuu/", {"code": item.code, "contact": "0911111111"})
    assert wrong_code.status_code == wrong_contact.status_code == 404
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*"', "", r.content.decode())  # noqa: E731
    assert strip(wrong_code) == strip(wrong_contact)
    assert "Bí mật" not in wrong_contact.content.decode()


def test_lookup_is_rate_limited(client, settings):
    """Guessing codes is slowed down: too many lookups get 429."""
    settings.FEEDBACK_LOOKUP_RATE = "3/m"
    for _ in range(3):
        client.post("/gop-y/tra-cuu/", {"code": "GY-2026-00001", "contact": "0912345678"})
    assert client.post("/gop-y/tra-cuu/", {"code": "GY-2026-00001", "contact": "0912345678"}).status_code == 429


def test_public_qa_shows_published_items_without_contact_data(client, django_assert_max_num_queries):
    """Hỏi đáp lists published answers only, never the sender's phone, e-mail or address."""
    for n in range(12):
        make_feedback(title=f"Câu hỏi công khai {n}", status=Feedback.Status.PUBLISHED, answer="Trả lời công khai")
    make_feedback(title="Câu hỏi đang xử lý", status=Feedback.Status.PROCESSING)
    client.get("/lien-he/")  # the page frame kept, as on a running site (portal.fragments)
    with django_assert_max_num_queries(10):  # the page's own queries and the counting
        response = client.get("/gop-y/hoi-dap/")
    html = response.content.decode()
    assert "Câu hỏi công khai 11" in html and "Trả lời công khai" in html
    assert "Câu hỏi đang xử lý" not in html
    for private in ("0987654321", "binh.tran@example.com", "Số 12 phố Phát Diệm", "Trần Thị Bình"):
        assert private not in html
    assert "Trang 1 / 2" in html


def admin_change(client, item, **data):
    payload = {
        "status": item.status,
        "assignee": "",
        "internal_note": item.internal_note,
        "answer": item.answer,
        "public_title": item.public_title or item.title,
        "public_content": item.public_content or item.content,
        "logs-TOTAL_FORMS": "0",
        "logs-INITIAL_FORMS": "0",
        "logs-MIN_NUM_FORMS": "0",
        "logs-MAX_NUM_FORMS": "1000",
    }
    payload.update(data)
    return client.post(f"/admin/feedback/feedback/{item.pk}/change/", payload)


def test_reception_staff_process_feedback_and_every_change_is_logged(client):
    """Cán bộ tiếp nhận moves an item through the workflow; the log names them and the change."""
    officer = make_staff("tiepnhan", group="Cán bộ tiếp nhận")
    client.force_login(officer)
    item = make_feedback()
    assert (
        admin_change(client, item, status="processing", assignee=officer.pk, internal_note="Chuyển xã").status_code
        == 302
    )
    item.refresh_from_db()
    assert item.status == "processing" and item.assignee == officer
    log = FeedbackLog.objects.get()
    assert log.user == officer and "Trạng thái: Mới → Đang xử lý" in log.changes and "Chuyển xã" in log.changes


def test_workflow_refuses_skipping_steps(client):
    """Publishing needs an answer first; jumping from Mới to Công khai is refused with a message."""
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    item = make_feedback()
    response = admin_change(client, item, status="published")
    assert response.status_code == 200
    assert "Không thể chuyển từ “Mới” sang “Công khai”" in response.content.decode()
    processing = make_feedback(status=Feedback.Status.PROCESSING)
    response = admin_change(client, processing, status="answered")
    assert "Cần nhập nội dung trả lời" in response.content.decode()


def test_reception_group_has_exactly_feedback_permissions():
    """The group made by the migration holds the feedback permissions and nothing else."""
    perms = set(Group.objects.get(name="Cán bộ tiếp nhận").permissions.values_list("codename", flat=True))
    assert perms == {"view_feedback", "change_feedback", "view_feedbacklog"}


def test_permission_boundaries(client):
    """Reception staff cannot reach articles; editors cannot reach feedback."""
    make_feedback()
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    assert client.get("/admin/feedback/feedback/").status_code == 200
    assert client.get("/admin/news/article/").status_code == 403
    client.force_login(make_staff("bientap", group="Biên tập viên"))
    assert client.get("/admin/feedback/feedback/").status_code == 403
    assert client.get("/admin/news/article/").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_never_share_a_code():
    """Eight threads asking for codes at once each get a different one."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...) for real concurrent writers")

    def one(_):
        try:
            return TrackingCounter.next_code(2030)
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(one, range(40)))
    assert sorted(codes) == [f"GY-2030-{n:05d}" for n in range(1, 41)]


def test_demo_reception_user_joins_the_group():
    """seed_demo puts the demo user tiepnhan in Cán bộ tiếp nhận."""
    from django.contrib.auth import get_user_model

    from portal import demo

    demo.seed_units(lambda _: None)  # seed_demo makes the demo's units first: its users work in them
    demo.seed(lambda _: None)

    assert get_user_model().objects.get(username="tiepnhan").groups.filter(name="Cán bộ tiếp nhận").exists()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"code": "", "contact": "0912345678"}, "code", "Vui lòng nhập mã theo dõi."),
        (
            {"code": "GY-2026-00001", "contact": ""},
            "contact",
            "Vui lòng nhập số điện thoại hoặc thư điện tử đã khai khi gửi.",
        ),
    ],
)
def test_lookup_form_messages(client, data, field, message):
    """A missing lookup field gets its own message, tied to the input."""
    response = client.post("/gop-y/tra-cuu/", data)
    assert errors_of(response) == {field: message}
    assert f'aria-describedby="id_{field}_error"' in response.content.decode()


def test_qa_shows_the_edited_public_text_and_keeps_the_original(client):
    """Staff rewrite the question without personal details; Hỏi đáp shows only that version."""
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    item = make_feedback(
        title="Ông Lê Văn Dũng hỏi về đất",
        content="Tôi là Lê Văn Dũng, số 0911222333, nhà ở thửa 45 muốn hỏi về cấp sổ đỏ.",
        status=Feedback.Status.ANSWERED,
        answer="Liên hệ bộ phận một cửa.",
    )
    form = client.get(f"/admin/feedback/feedback/{item.pk}/change/").content.decode()
    assert form.split('name="public_content"')[1].split("</textarea>")[0].split(">", 1)[1].strip() == ""
    assert 'name="public_title"' in form and 'value="Ông Lê Văn Dũng' not in form  # staff write it
    response = admin_change(
        client,
        item,
        status="published",
        public_title="Hỏi về cấp giấy chứng nhận quyền sử dụng đất",
        public_content="Công dân hỏi về thủ tục cấp giấy chứng nhận quyền sử dụng đất.",
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.content.startswith("Tôi là Lê Văn Dũng")  # the record keeps the citizen's words
    html = client.get("/gop-y/hoi-dap/").content.decode()
    assert "Hỏi về cấp giấy chứng nhận quyền sử dụng đất" in html
    assert "Công dân hỏi về thủ tục cấp giấy chứng nhận" in html
    assert "Lê Văn Dũng" not in html and "0911222333" not in html and "thửa 45" not in html


def test_publishing_needs_public_text(client):
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    item = make_feedback(status=Feedback.Status.ANSWERED, answer="Đã trả lời.")
    response = admin_change(client, item, status="published", public_title="  ", public_content="")
    assert response.status_code == 200
    assert "Cần có tiêu đề công khai trước khi công khai trong Hỏi đáp." in response.content.decode()
    item.refresh_from_db()
    assert item.status == Feedback.Status.ANSWERED


def test_citizen_is_mailed_once_when_answered(client):
    """Answering mails the citizen the code and the lookup link; publishing later sends nothing more."""
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    item = make_feedback(status=Feedback.Status.PROCESSING)
    assert admin_change(client, item, status="answered", answer="Đã sửa xong đường.").status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["binh.tran@example.com"]
    assert item.code in message.subject and item.code in message.body
    assert "http://testserver/gop-y/tra-cuu/" in message.body
    item.refresh_from_db()
    assert admin_change(client, item, status="published").status_code == 302
    assert len(mail.outbox) == 1


def test_answer_mail_failure_does_not_break_the_save(client, settings):
    settings.EMAIL_BACKEND = "tests.test_feedback.BrokenBackend"
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    item = make_feedback(status=Feedback.Status.PROCESSING)
    response = admin_change(client, item, status="answered", answer="Đã sửa xong đường.")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Feedback.Status.ANSWERED and item.answered_at


def test_no_mail_without_an_email_address(client):
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    item = make_feedback(status=Feedback.Status.PROCESSING, email="")
    assert admin_change(client, item, status="answered", answer="Đã xong.").status_code == 302
    assert mail.outbox == []


def test_status_dropdown_offers_only_allowed_next_states(client):
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    item = make_feedback()
    html = client.get(f"/admin/feedback/feedback/{item.pk}/change/").content.decode()
    select = html.split('name="status"')[1].split("</select>")[0]
    options = re.findall(r'<option value="(\w+)"', select)
    assert sorted(options) == ["new", "processing", "rejected"]


@pytest.mark.parametrize(
    "text, found",
    [
        ("SĐT tôi 0987654321", [("số điện thoại", "0987654321")]),
        (
            "gọi 0912.345.678 hoặc +84 912 345 679",
            [("số điện thoại", "0912.345.678"), ("số điện thoại", "+84 912 345 679")],
        ),
        ("máy bàn 0229 3862 152", [("số điện thoại", "0229 3862 152")]),
        ("thư binh.tran@example.com nhé", [("địa chỉ thư điện tử", "binh.tran@example.com")]),
        ("CCCD 036090001234, CMND 123456789", [("số CMND/CCCD", "036090001234"), ("số CMND/CCCD", "123456789")]),
        ("năm 2026 123456789", [("số CMND/CCCD", "123456789")]),
        ("Kinh phí 150.000.000 đồng, thửa 45, ngày 20/11/2026, Quyết định 125/QĐ-UBND, thủ tục 1.001193", []),
    ],
)
def test_personal_data_is_found_in_public_text(text, found):
    """Phones in any common spelling, e-mails and 9/12-digit ID numbers are found; money and dates are not."""
    from feedback.pii import find_personal_data

    assert find_personal_data(text) == found


def test_publishing_allows_the_units_own_contacts_in_the_answer(client):
    """An answer may send citizens to the office's phone and e-mail from Cấu hình trang."""
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    item = make_feedback(status=Feedback.Status.ANSWERED, answer="Gọi 0229 3862 152 hoặc ubndkimson@ninhbinh.gov.vn.")
    data = {"status": "published", "public_title": "Hỏi về khai sinh", "public_content": "Cần giấy tờ gì?"}
    assert admin_change(client, item, **data).status_code == 302


@pytest.mark.parametrize(
    "field, value, named",
    [
        ("public_content", "Công dân (SĐT 0987 654 321) hỏi về khai sinh.", "số điện thoại “0987 654 321”"),
        ("public_title", "Hỏi về CCCD 036090001234", "số CMND/CCCD “036090001234”"),
        ("answer", "Đã trả lời qua binh.tran@example.com.", "địa chỉ thư điện tử “binh.tran@example.com”"),
    ],
)
def test_publishing_refuses_contact_details_in_public_text(client, field, value, named):
    """Before Công khai, a phone, e-mail or ID number in the public question or answer is refused, named."""
    client.force_login(make_staff("tiepnhan", group="Cán bộ tiếp nhận"))
    item = make_feedback(status=Feedback.Status.ANSWERED, answer="Tờ khai và giấy chứng sinh.")
    data = {"status": "published", "public_title": "Hỏi về khai sinh", "public_content": "Cần giấy tờ gì?"}
    response = admin_change(client, item, **{**data, field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Chưa thể công khai: còn thông tin cá nhân ({named})." in html.replace("&ldquo;", "“").replace(
        "&rdquo;", "”"
    )
    item.refresh_from_db()
    assert item.status == Feedback.Status.ANSWERED
    assert admin_change(client, item, **data).status_code == 302
    item.refresh_from_db()
    assert item.status == Feedback.Status.PUBLISHED
