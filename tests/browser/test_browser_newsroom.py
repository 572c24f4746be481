"""The whole newsroom in a real browser, as its three people live it (issue: newsroom workflow).

An editor writes with an image (alt text required) and submits; the approver is mailed, compares
revisions and returns it with a comment; the editor fixes it and resubmits; the approver schedules
it; it appears on the home page when its time comes, not before.
"""

import io
import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone
from PIL import Image

from news.models import Article
from portal.groups import APPROVERS, EDITORS
from tests.factories import make_category, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "/" + settings.ADMIN_URL
TITLE = "Xã Kim Định về đích nông thôn mới nâng cao"
ALT = "Lễ đón nhận bằng công nhận nông thôn mới nâng cao"


@pytest.fixture
def newsroom(newsroom_groups):
    """One member of each newsroom group (tests/browser/conftest.py makes the groups), with mail."""
    for username, group in (("bientap", EDITORS), ("duyetbai", APPROVERS)):
        user = make_staff(username, group=group)
        user.email = f"{username}@kimson.local"
        user.save()
    make_category("Nông thôn mới")


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), (12, 110, 70)).save(buffer, "PNG")
    return buffer.getvalue()


def log_in(page, username):
    page.goto(ADMIN)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw-" + username)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{ADMIN}")


def success(page, text):
    page.locator(".messagelist .success").get_by_text(text).wait_for()


def link_in(message):
    return urlparse(re.search(r"https?://\S+", message.body).group(0)).path


def set_alt(page, text):
    page.locator(".ck-editor__editable img").first.click()
    page.get_by_role("button", name="Đổi chữ alt của ảnh").click()
    field = page.locator(".ck-balloon-panel input[type=text]")
    field.fill(text)
    field.press("Enter")


def test_editor_submits_approver_returns_editor_resubmits_approver_schedules_it_appears_on_time(
    open_context, newsroom, screenshots
):
    """The newsroom end to end, with the mails, the comparison and the scheduled appearance."""
    editor = open_context().new_page()
    log_in(editor, "bientap")
    editor.goto(ADMIN + "news/article/add/")
    editor.locator("#id_title").fill(TITLE)
    editor.locator("#id_category").select_option(label="Nông thôn mới")
    editor.locator("#id_sapo").fill("Xã Kim Định đạt đủ 19 tiêu chí nông thôn mới nâng cao.")
    body = editor.locator(".ck-editor__editable")
    body.click()
    editor.keyboard.type("Sáng nay, xã Kim Định đón nhận bằng công nhận.")
    editor.locator(".ck-editor input[type=file]").set_input_files(
        {"name": "le-don-nhan.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    body.locator("img[src*='/uploads/']").wait_for()
    assert body.locator("figure.image figcaption").count() == 1, "the caption field shows by default"
    assert editor.locator("#id_status").count() == 0

    # Without alt text the image is refused, by name.
    editor.get_by_role("button", name="Gửi duyệt").click()
    editor.get_by_text("Ảnh thứ 1 (le-don-nhan.png) chưa có chữ mô tả").wait_for()
    assert not Article.objects.exists()
    set_alt(editor, ALT)
    editor.get_by_role("button", name="Gửi duyệt").click()
    success(editor, f"Đã gửi duyệt “{TITLE}”. Đã báo qua thư cho 1 người.")
    editor.screenshot(path=screenshots / "newsroom-1-editor-submitted.png")
    article = Article.objects.get()
    assert article.status == Article.Status.PENDING and f'alt="{ALT}"' in article.body

    # The approver is mailed, opens the article from the mail, corrects it, compares, returns it.
    (submitted,) = mail.outbox
    assert submitted.to == ["duyetbai@kimson.local"] and submitted.subject == f"[Chờ duyệt] {TITLE}"
    approver = open_context().new_page()
    log_in(approver, "duyetbai")
    approver.goto(ADMIN)
    approver.get_by_role("link", name="Bài chờ duyệt (1)").wait_for()
    approver.goto(link_in(submitted))
    assert [b.inner_text() for b in approver.locator(".workflow-buttons button").all()] == [
        "Lưu thay đổi",
        "Xuất bản",
        "Hẹn giờ",
        "Trả lại",
    ]
    approver.locator("#id_sapo").fill("Xã Kim Định đạt đủ 19 tiêu chí xã nông thôn mới nâng cao năm 2026.")
    approver.get_by_role("button", name="Lưu thay đổi").click()
    success(approver, f"Đã lưu thay đổi “{TITLE}”.")
    approver.goto(ADMIN + f"news/article/{article.pk}/history/")
    approver.get_by_role("link", name="So với bản trước").last.click()
    approver.locator("ins", has_text="năm 2026.").wait_for()
    approver.screenshot(path=screenshots / "newsroom-2-approver-compares.png", full_page=True)
    approver.goto(ADMIN + f"news/article/{article.pk}/change/")
    approver.get_by_role("button", name="Trả lại").click()
    approver.get_by_text("Hãy ghi góp ý để người viết biết cần sửa gì.").wait_for()
    approver.get_by_label("Góp ý / ghi chú").fill("Ghi rõ ngày đón nhận bằng.")
    approver.get_by_role("button", name="Trả lại").click()
    success(approver, f"Đã trả lại “{TITLE}” cho người viết, kèm góp ý.")

    # The editor is mailed, reads why on the article, fixes it and resubmits.
    returned = mail.outbox[-1]
    assert returned.to == ["bientap@kimson.local"] and "Ghi rõ ngày đón nhận bằng." in returned.body
    editor.goto(link_in(returned))
    editor.locator(".workflow-steps").get_by_text("Ghi rõ ngày đón nhận bằng.").wait_for()
    editor.screenshot(path=screenshots / "newsroom-3-editor-returned.png", full_page=True)
    editor.locator(".ck-editor__editable p").first.click()
    editor.keyboard.press("End")
    editor.keyboard.type(" Lễ đón nhận diễn ra ngày 30/11/2026.")
    editor.get_by_role("button", name="Gửi duyệt").click()
    success(editor, f"Đã gửi duyệt “{TITLE}”.")
    assert "30/11/2026" in Article.objects.get().body

    # The approver schedules it for tomorrow morning; the confirmation repeats the time in words.
    when = timezone.localtime() + timedelta(days=1)
    approver.goto(ADMIN + f"news/article/{article.pk}/change/")
    approver.locator("#id_schedule_at_0").fill(when.strftime("%d/%m/%Y"))
    approver.locator("#id_schedule_at_1").fill("07:00")
    approver.get_by_role("button", name="Hẹn giờ").click()
    success(approver, "Đã hẹn giờ đăng lúc 07:00 ")
    approver.screenshot(path=screenshots / "newsroom-4-approver-scheduled.png")
    weekday = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")[when.weekday()]
    assert f"lúc 07:00 {weekday}, {when:%d/%m/%Y}" in approver.locator(".messagelist").inner_text()
    assert mail.outbox[-1].subject == f"[Hẹn giờ] {TITLE}"

    # Not on the site before its time; there by itself once the time has come.
    visitor = open_context().new_page()
    visitor.goto("/")
    assert visitor.get_by_role("link", name=TITLE).count() == 0
    publish_at = Article.objects.get().publish_at
    with time_machine.travel(publish_at + timedelta(minutes=1), tick=True):
        visitor.goto("/")
        visitor.get_by_role("link", name=TITLE).first.wait_for()
