"""The admin speaks Vietnamese in the strings Django and its add-ons leave in English (locale/vi)."""

import json
import re

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from feedback.models import Feedback
from tests.factories import make_article, make_category, make_staff

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:news_article_changelist")
ADD_URL = reverse("admin:news_article_add")
RECOVER_URL = reverse("admin:news_article_recoverlist")


@pytest.fixture
def admin_client(client):
    client.force_login(make_staff("quantri", superuser=True))
    return client


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_article_list_with_filters_is_vietnamese(admin_client):
    """The list's filters, counters toggle, action bar and screen-reader labels are Vietnamese."""
    make_article("Hội nghị quốc phòng", category=make_category())
    page = page_text(admin_client.get(LIST_URL, {"trang_thai": "published"}))
    for vietnamese in (
        "Chuyển đến nội dung chính",
        "Đổi giao diện (giao diện hiện tại: tự động)",
        "Hiện số lượng",
        "Theo Trạng thái",
        "Thao tác:",
        "Thực hiện",
        'aria-label="Chọn đối tượng này để thực hiện thao tác - Hội nghị quốc phòng"',
        'aria-label="Chọn tất cả đối tượng trên trang này để thực hiện thao tác"',
        'alt="Tìm kiếm"',
        "Lọc các mục điều hướng",
        "Thêm Bài viết",
    ):
        assert vietnamese in page, vietnamese
    for english in (
        "Skip to main content",
        "Toggle theme",
        "Show counts",
        " By ",
        "Select this object for an action",
        'alt="Search"',
        "Filter navigation items",
        "Thêm vào Bài viết",
    ):
        assert english not in page, english
    assert "Ẩn số lượng" in page_text(admin_client.get(LIST_URL, {"_facets": "True"}))


def test_change_forms_with_errors_ask_in_vietnamese(admin_client):
    """A refused article or feedback form says "Vui lòng sửa lỗi dưới đây." above the fields."""
    page = page_text(admin_client.post(ADD_URL, {"title": ""}))
    assert "Vui lòng sửa lỗi dưới đây." in page and "Please correct" not in page
    assert "Trường này là bắt buộc." in page

    feedback = Feedback.objects.create(name="Lê An", address="Kim Sơn", phone="0912345678", title="Đèn", content="Hỏng")
    url = reverse("admin:feedback_feedback_change", args=[feedback.pk])
    prefix = admin_client.get(url).context["inline_admin_formsets"][0].formset.prefix
    management = {f"{prefix}-{k}": v for k, v in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0), ("MAX_NUM_FORMS", 0))}
    page = page_text(admin_client.post(url, {"status": Feedback.Status.PUBLISHED, "answer": "", **management}))
    assert "Vui lòng sửa lỗi dưới đây." in page and "Please correct" not in page
    assert "Không thể chuyển từ “Mới” sang “Công khai”." in page


def test_reversion_recover_list_and_history_are_vietnamese(admin_client):
    """django-reversion's recover list and history speak Vietnamese, before and after a deletion."""
    page = page_text(admin_client.get(RECOVER_URL))
    assert "Khôi phục Bài viết đã xóa" in page
    assert "Không có đối tượng đã xóa nào để khôi phục." in page
    assert "Recover deleted" not in page and "There are no deleted objects" not in page

    with reversion.create_revision():
        article = make_article("Bài sẽ bị xóa", category=make_category())
    history = page_text(admin_client.get(reverse("admin:news_article_history", args=[article.pk])))
    assert "Lịch sử" in history and "Bấm vào thời điểm để xem (và khôi phục) phiên bản đó" in history
    assert "Choose a date" not in history and "History" not in history

    article.delete()
    page = page_text(admin_client.get(RECOVER_URL))
    assert "khôi phục phiên bản đã xóa của đối tượng" in page and "Bài sẽ bị xóa" in page
    assert "Choose a date" not in page


def test_login_page_is_vietnamese(client):
    """The log-in page, before and after a wrong password, has no English left."""
    page = page_text(client.get(reverse("admin:login")))
    assert "Chuyển đến nội dung chính" in page and "Đăng nhập" in page
    assert "Skip to main content" not in page and "Toggle theme" not in page
    make_staff("quantri", superuser=True)
    page = page_text(client.post(reverse("admin:login"), {"username": "quantri", "password": "sai"}))
    assert "Bạn hãy nhập đúng Tên đăng nhập và mật khẩu." in page and "<title>Lỗi: Đăng nhập" in page
    assert "Please enter the correct" not in page and "Error:" not in page


def test_login_throttling_admin_is_vietnamese(admin_client):
    """django-axes' lists of failed log-ins read in Vietnamese."""
    who = {"user_agent": "Firefox", "ip_address": "203.0.113.5", "username": "bientap", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**who, get_data="", post_data="", failures_since_start=5)
    AccessFailureLog.objects.create(**who, locked_out=True)
    page = page_text(admin_client.get(reverse("admin:axes_accessattempt_changelist")))
    assert "lần thử đăng nhập" in page and "Số lần đăng nhập sai" in page and "Địa chỉ IP" in page
    assert "access attempt" not in page and "Failed Logins" not in page and "IP Address" not in page
    page = page_text(admin_client.get(reverse("admin:axes_accessfailurelog_changelist")))
    assert "lần đăng nhập sai" in page and "Khóa truy cập" in page and "Thời điểm thử" in page
    assert "access failure" not in page and "Access lock out" not in page and "Attempt Time" not in page


def test_permission_names_are_vietnamese(admin_client):
    """Rights given to a group read "Có thể thêm Bài viết", not Django's English "Can add …"."""
    article_add = Permission.objects.get(codename="add_article")
    assert article_add.name == "Có thể thêm Bài viết"
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    page = page_text(admin_client.get(reverse("admin:auth_group_add")))
    assert "Có thể xem Bài viết" in page and "Can view" not in page
    assert "Lịch sử phiên bản | lần sửa đổi | Có thể xem lần sửa đổi" in page


def test_admin_javascript_catalogue_is_vietnamese(admin_client):
    """Calendar days and the two-box permission picker come from the JavaScript catalogue in Vietnamese."""
    script = page_text(admin_client.get(reverse("admin:jsi18n")))
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert catalog["Sunday"] == "Chủ nhật"
    assert catalog["abbrev. day Monday\x04Mon"] == "T2"
    assert catalog["Choose all %s"] == "Chọn tất cả %s"
    assert catalog["Chosen %s"] == "%s đã chọn"


def test_third_party_messages_have_vietnamese(settings):
    """Messages of the editor upload, reversion and Django's validators exist in Vietnamese, placeholders kept."""
    with translation.override("vi"):
        assert translation.gettext("You must be logged in to upload files.") == "Bạn cần đăng nhập để tải tệp lên."
        assert translation.gettext("You do not have permission to upload files.") == "Bạn không có quyền tải tệp lên."
        assert translation.gettext("Recover deleted %(name)s") % {"name": "Văn bản"} == "Khôi phục Văn bản đã xóa"
        many = translation.ngettext("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", 3)
        assert many % {"num": 3} == "Vui lòng gửi tối đa 3 biểu mẫu."
        assert translation.gettext("That page contains no results") == "Trang này không có kết quả nào"
