"""Citizen services in a real browser: feedback with its tracking code, official documents."""

import pytest

from documents.models import DocumentFile, DocumentType
from tests.factories import make_document, pdf_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quick_form(settings):
    # The spam check wants a few seconds between showing and sending the form; a test types faster.
    settings.FEEDBACK_MIN_FILL_SECONDS = 0


def test_send_feedback_and_look_it_up_by_its_code(page, quick_form):
    """An empty form shows each error at its field; a full one gives a code that finds the feedback."""
    page.goto("/gop-y/")
    page.get_by_role("button", name="Gửi góp ý").click()
    name = page.get_by_label("Họ và tên")
    assert name.get_attribute("aria-invalid") == "true"
    error_id = name.get_attribute("aria-describedby").split()[0]
    assert page.locator(f"#{error_id}").inner_text() == "Vui lòng nhập họ và tên."
    consent = page.get_by_label("Tôi đồng ý", exact=False)
    assert (
        page.locator("#" + consent.get_attribute("aria-describedby").split()[0])
        .inner_text()
        .startswith("Vui lòng đánh dấu đồng ý")
    )

    name.fill("Nguyễn Thị Lan")
    page.get_by_label("Địa chỉ").fill("Xóm 3, xã Kim Định")
    page.get_by_label("Điện thoại").fill("0912 345 678")
    page.get_by_label("Tiêu đề").fill("Đèn đường hỏng ở xóm 3")
    page.get_by_label("Nội dung").fill("Đề nghị xã sửa đèn đường đoạn qua xóm 3, đã hỏng hai tuần.")
    consent.check()
    page.get_by_role("button", name="Gửi góp ý").click()
    code = page.locator(".tracking-code").inner_text().strip()
    assert code.startswith("GY-")

    page.get_by_role("link", name="tra cứu kết quả").click()
    page.get_by_label("Mã theo dõi").fill(code.lower())
    page.get_by_label("Số điện thoại hoặc thư điện tử đã khai").fill("0912345678")
    page.get_by_role("button", name="Tra cứu").click()
    result = page.get_by_role("heading", name=f"{code}: Đèn đường hỏng ở xóm 3")
    result.wait_for()
    assert "Góp ý đang được xem xét" in page.locator(".qa-item").inner_text()


def test_filter_documents_and_download_one(page):
    """Filtering by type keeps the matching document; its page downloads the attached PDF."""
    plan = make_document("125/QĐ-UBND", "Về việc phê duyệt kế hoạch sử dụng đất năm 2025")
    DocumentFile.objects.create(document=plan, file=pdf_upload("ke-hoach-su-dung-dat.pdf"))
    notice = make_document(
        "45/TB-UBND", "Thông báo lịch tiếp công dân tháng 12", doc_type=DocumentType.objects.create(name="Thông báo")
    )

    page.goto("/van-ban/")
    table = page.locator("main table.data-table")
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    page.get_by_label("Loại văn bản").select_option(label="Quyết định")
    page.get_by_role("button", name="Tìm văn bản").click()
    assert rows.count() == 1
    assert table.get_by_role("link", name=notice.number).count() == 0
    table.get_by_role("link", name=plan.number).click()
    assert plan.number in page.get_by_role("heading", level=1).inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải về").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    page.reload()
    assert "1 lượt tải" in page.locator(".file-list").inner_text()
