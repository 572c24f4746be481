import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import Agency, Document, DocumentFile, DocumentType, Sector, validate_document_file
from tests.factories import make_document, make_staff, pdf_upload, text_upload

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile Safari/537.36"


def rows(response):
    """The document numbers in the list table, in order."""
    return re.findall(r'<td><a href="/van-ban/\d+/">([^<]+)</a></td>', response.content.decode())


def office_upload(name, inner):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(inner, "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.mark.parametrize(
    "from_days, until_days, label",
    [
        (None, None, "Còn hiệu lực"),
        (5, None, "Chưa có hiệu lực"),
        (None, -3, "Hết hiệu lực"),
        (None, 0, "Hết hiệu lực"),
        (-5, 30, "Còn hiệu lực"),
    ],
)
def test_status_is_derived_from_dates(client, from_days, until_days, label):
    """Tình trạng follows the dates: not yet in force, in force, or ended (from the end date on)."""
    today = timezone.localdate()
    document = make_document(
        effective_from=today + timedelta(days=from_days) if from_days is not None else None,
        effective_until=today + timedelta(days=until_days) if until_days is not None else None,
    )
    assert document.status.label == label
    assert label in client.get(document.get_absolute_url()).content.decode()


def test_status_filter_matches_the_derived_status(client):
    """Filtering by Tình trạng in the database agrees with the status shown on each row."""
    today = timezone.localdate()
    make_document("1/QĐ-UBND")
    make_document("2/QĐ-UBND", effective_from=today + timedelta(days=3))
    make_document("3/QĐ-UBND", days=-2)
    make_document("4/QĐ-UBND", effective_until=today)
    make_document("5/QĐ-UBND", effective_from=today + timedelta(days=3), effective_until=today - timedelta(days=1))
    expected = {"active": {"1/QĐ-UBND"}, "pending": {"2/QĐ-UBND", "3/QĐ-UBND"}, "expired": {"4/QĐ-UBND", "5/QĐ-UBND"}}
    for status, numbers in expected.items():
        assert set(rows(client.get("/van-ban/", {"tinh_trang": status}))) == numbers
        assert {d.number for d in Document.objects.all() if d.status == status} == numbers


def test_issued_in_the_future_is_not_yet_in_force():
    """A document dated tomorrow with no effective date is Chưa có hiệu lực."""
    assert make_document(days=-1).status.label == "Chưa có hiệu lực"


def test_list_shows_the_four_columns_and_only_published(client):
    """The list has Số/Ký hiệu, Ngày ban hành, Trích yếu, Tình trạng; hidden and scheduled ones stay out."""
    make_document("12/KH-UBND", "Kế hoạch tuyển sinh lớp 1")
    make_document("13/KH-UBND", "Bản nháp chưa công khai", is_published=False)
    make_document("14/KH-UBND", "Hẹn giờ đăng", publish_at=timezone.now() + timedelta(days=1))
    response = client.get("/van-ban/")
    html = response.content.decode()
    for header in ("Số/Ký hiệu", "Ngày ban hành", "Trích yếu", "Tình trạng"):
        assert f'<th scope="col">{header}</th>' in html
    assert rows(response) == ["12/KH-UBND"]
    assert client.get(Document.objects.get(number="13/KH-UBND").get_absolute_url()).status_code == 404


def test_filters_by_type_agency_field_and_year(client):
    """Each filter narrows the list to the matching documents."""
    plan = DocumentType.objects.create(name="Kế hoạch")
    council = Agency.objects.create(name="HĐND huyện Kim Sơn")
    health = Sector.objects.create(name="Y tế")
    make_document("1/QĐ-UBND", days=10)
    make_document("2/KH-UBND", doc_type=plan, days=11)
    make_document("3/NQ-HĐND", agency=council, days=12)
    make_document("4/QĐ-UBND", sector=health, days=13)
    make_document("5/QĐ-UBND", days=800)
    assert rows(client.get("/van-ban/", {"loai": plan.pk})) == ["2/KH-UBND"]
    assert rows(client.get("/van-ban/", {"co_quan": council.pk})) == ["3/NQ-HĐND"]
    assert rows(client.get("/van-ban/", {"linh_vuc": health.pk})) == ["4/QĐ-UBND"]
    old_year = (timezone.localdate() - timedelta(days=800)).year
    assert rows(client.get("/van-ban/", {"nam": old_year})) == ["5/QĐ-UBND"]


def test_bad_filter_value_is_a_clear_400(client):
    """A junk filter value gets a Vietnamese message next to the filter, not a crash."""
    make_document()
    response = client.get("/van-ban/", {"loai": "abc", "nam": "1800"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Loại văn bản không có trong danh sách." in html
    assert "Năm ban hành không có trong danh sách." in html


@pytest.mark.parametrize(
    "query", ["125/QĐ", "125/qđ-ubnd", "ke hoach su dung dat", "Kế hoạch SỬ DỤNG", "quyet dinh 125"]
)
def test_keyword_search_by_number_or_summary_without_accents(client, query):
    """A document is found by its number or words of its summary, typed with or without accents."""
    make_document("125/QĐ-UBND", "Về việc phê duyệt kế hoạch sử dụng đất năm 2026")
    make_document("77/TB-UBND", "Thông báo lịch tiêm chủng")
    assert rows(client.get("/van-ban/", {"q": query})) == ["125/QĐ-UBND"]


def test_list_is_paginated_with_filters_kept(client):
    """Twenty per page; the next-page link keeps the search."""
    for n in range(25):
        make_document(f"{n}/TB-UBND", "Thông báo lịch tiếp công dân", days=n)
    response = client.get("/van-ban/", {"q": "tiep cong dan"})
    assert len(rows(response)) == 20
    assert "q=tiep+cong+dan&amp;page=2" in response.content.decode()
    assert len(rows(client.get("/van-ban/", {"q": "tiep cong dan", "page": 2}))) == 5


def test_list_query_count_does_not_grow(client):
    """The list page costs the same few queries for 5 or 40 documents (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/van-ban/")
        return len(captured), response

    for n in range(5):
        make_document(f"{n}/QĐ-UBND", days=n)
    client.get("/van-ban/")  # warm the frame's caches
    few, _ = queries_for_list()
    for n in range(5, 40):
        make_document(f"{n}/QĐ-UBND", days=n)
    client.get("/van-ban/")  # the frame again: saving content made its kept parts stale
    many, response = queries_for_list()
    assert len(rows(response)) == 20
    assert many == few <= 10


def test_download_headers_and_counter(client):
    """A download has the real type, a safe ASCII name plus the UTF-8 name, and is counted."""
    document = make_document()
    item = DocumentFile.objects.create(
        document=document, file=pdf_upload("tệp gốc.pdf"), title="Quyết định 125/QĐ-UBND"
    )
    response = client.get(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Quyet dinh 125-QD-UBND.pdf"; '
        "filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20125-Q%C4%90-UBND.pdf"
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.get(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    client.get(item.get_absolute_url(), HTTP_USER_AGENT="Googlebot/2.1")  # crawlers are not readers
    client.head(item.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    item.refresh_from_db()
    assert item.download_count == 2
    assert "2 lượt tải" in client.get(document.get_absolute_url()).content.decode()


def test_download_of_unpublished_document_is_404(client):
    """Files of a hidden document cannot be fetched by guessing the number."""
    item = DocumentFile.objects.create(document=make_document(is_published=False), file=pdf_upload())
    assert client.get(item.get_absolute_url()).status_code == 404
    item.refresh_from_db()
    assert item.download_count == 0


@pytest.mark.parametrize("name", ["gia-mao.pdf", "gia-mao.docx", "gia-mao.xls"])
def test_uploads_are_checked_by_content(name):
    """A text file renamed to an allowed extension is refused."""
    with pytest.raises(ValidationError, match="Nội dung tệp không đúng định dạng cho phép"):
        validate_document_file(text_upload(name))


def test_office_files_are_recognised_and_get_the_right_type():
    """DOCX and XLSX are known by their insides; the stored extension follows the content."""
    document = make_document()
    docx = office_upload("bien-ban.xlsx", "word/document.xml")  # a Word file with a wrong name
    validate_document_file(docx)
    item = DocumentFile.objects.create(document=document, file=docx)
    assert item.kind == "docx" and item.file.name.endswith(".docx")
    assert item.content_type.endswith("wordprocessingml.document")
    with pytest.raises(ValidationError):
        validate_document_file(office_upload("lạ.docx", "other/thing.xml"))


def test_upload_size_cap(settings):
    settings.DOCUMENT_FILE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="Tệp quá lớn"):
        validate_document_file(pdf_upload())


def test_admin_refuses_a_fake_pdf(client):
    """Staff uploading a renamed text file in admin see a message and nothing is saved."""
    client.force_login(make_staff("admin", superuser=True))
    document = make_document()
    response = client.post(
        f"/admin/documents/document/{document.pk}/change/",
        {
            "number": document.number,
            "doc_type": document.doc_type_id,
            "agency": document.agency_id,
            "sector": document.sector_id,
            "summary": document.summary,
            "issued_on": document.issued_on.isoformat(),
            "signer_name": "A",
            "signer_title": "B",
            "is_published": "on",
            "publish_at_0": "2026-01-01",
            "publish_at_1": "00:00:00",
            "files-TOTAL_FORMS": "1",
            "files-INITIAL_FORMS": "0",
            "files-MIN_NUM_FORMS": "0",
            "files-MAX_NUM_FORMS": "1000",
            "files-0-file": text_upload(),
            "files-0-order": "0",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nội dung tệp không đúng định dạng cho phép" in html
    assert html.count('class="errorlist') == 1  # the file is the only problem
    assert not DocumentFile.objects.exists()


def test_replacement_relations_show_both_ways(client):
    """A document lists what it replaces, and the old one says what replaced it."""
    old = make_document("10/QĐ-UBND", "Quy chế cũ", days=400)
    new = make_document("20/QĐ-UBND", "Quy chế mới")
    new.replaces.add(old)
    assert "10/QĐ-UBND" in client.get(new.get_absolute_url()).content.decode()
    html = client.get(old.get_absolute_url()).content.decode()
    assert "Bị thay thế bởi" in html and "20/QĐ-UBND" in html


def test_sidebar_shows_latest_five_with_more_link(client):
    """Every page's sidebar lists the five newest documents and links to the full list."""
    for n in range(7):
        make_document(f"{n}/TB-UBND", f"Thông báo số {n}", days=n)
    html = client.get("/").content.decode()
    block = html[html.index('id="side-docs"') : html.index("</section>", html.index('id="side-docs"'))]
    assert re.findall(r"<strong>([^<]+)</strong>", block) == [f"{n}/TB-UBND" for n in range(5)]
    assert 'href="/van-ban/">Xem thêm</a>' in block


def test_demo_seed_adds_thirty_documents_with_pdfs_and_is_idempotent():
    from documents import demo

    demo.seed(lambda _: None)
    demo.seed(lambda _: None)
    assert Document.objects.published().count() >= 30
    assert DocumentFile.objects.filter(kind="pdf").count() == Document.objects.count()
    statuses = {d.status for d in Document.objects.all()}
    assert statuses == set(Document.Status)
