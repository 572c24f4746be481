"""The newsroom in a real browser: an editor writes with CKEditor 5, an approver publishes."""

import io

import pytest
from django.conf import settings
from PIL import Image

from news.models import Article
from tests.factories import make_category, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "/" + settings.ADMIN_URL


def png_bytes(size=(640, 400), color=(12, 110, 70)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def log_in(page, username):
    page.goto(ADMIN)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw-" + username)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{ADMIN}")


def test_editor_writes_with_an_image_approver_publishes_it_appears_on_home(open_context, newsroom_groups):
    """Editor: article with an uploaded image, submitted for review; approver: publishes; home: shows it."""
    make_category("Nông thôn mới")
    make_staff("bientap", group="Biên tập viên")
    make_staff("duyetbai", group="Duyệt bài")
    title = "Xã Kim Định về đích nông thôn mới nâng cao"

    editor = open_context().new_page()
    log_in(editor, "bientap")
    editor.goto(ADMIN + "news/article/add/")
    editor.locator("#id_title").fill(title)
    editor.locator("#id_category").select_option(label="Nông thôn mới")
    editor.locator("#id_sapo").fill("Xã Kim Định đạt đủ 19 tiêu chí nông thôn mới nâng cao.")
    body = editor.locator(".ck-editor__editable")
    body.click()
    editor.keyboard.type("Sáng nay, xã Kim Định đón nhận bằng công nhận.")
    editor.locator(".ck-editor input[type=file]").set_input_files(
        {"name": "le-don-nhan.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    uploaded = body.locator("img[src*='/uploads/']")
    uploaded.wait_for()
    uploaded.click()
    editor.get_by_role("button", name="Đổi chữ alt của ảnh").click()
    alt_field = editor.locator(".ck-balloon-panel input[type=text]")
    alt_field.fill("Lễ đón nhận bằng công nhận nông thôn mới nâng cao")
    alt_field.press("Enter")
    assert editor.locator("#id_status").count() == 0, "no status dropdown: the buttons are the workflow"
    editor.get_by_role("button", name="Gửi duyệt").click()
    editor.locator(".messagelist .success").get_by_text("Đã gửi duyệt").wait_for()

    article = Article.objects.get(title=title)
    assert article.status == Article.Status.PENDING
    assert "Sáng nay, xã Kim Định" in article.body
    assert 'alt="Lễ đón nhận bằng công nhận nông thôn mới nâng cao"' in article.body
    visitor = open_context().new_page()
    visitor.goto("/")
    assert visitor.get_by_role("link", name=title).count() == 0, "not on the home page before it is published"

    approver = open_context().new_page()
    log_in(approver, "duyetbai")
    approver.goto(ADMIN + "news/article/?trang_thai=pending")
    approver.get_by_role("row", name=title).locator("input[type=checkbox]").check()
    approver.locator("select[name=action]").select_option(label="Xuất bản các bài đã chọn")
    approver.locator("button[name=index]").click()
    approver.locator(".messagelist").get_by_text("Đã xuất bản 1 bài viết.").wait_for()

    visitor.goto("/")
    visitor.get_by_role("link", name=title).first.click()
    assert visitor.get_by_role("heading", level=1).inner_text() == title
    image = visitor.get_by_role("img", name="Lễ đón nhận bằng công nhận nông thôn mới nâng cao")
    image.scroll_into_view_if_needed()
    # The uploaded image is served: the browser decodes it (a missing file has no natural width).
    visitor.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
