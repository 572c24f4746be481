"""Search inside attached files: PDF and DOCX text read on save, bounded, found, shown in the excerpt."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import filetext
from portal.filetext import extract_text
from portal.pdf import tiny_pdf
from search.models import SearchEntry
from search.queries import SearchResults
from search.text import parse_query, snippet
from tests.factories import make_article, make_document, make_procedure, pdf_upload
from tests.test_search_judged import docx_upload

pytestmark = pytest.mark.django_db


def titles(query):
    return [entry.title for entry in SearchResults(query)[0:100]]


def test_pdf_text_of_a_document_is_found_and_shown_in_the_excerpt(client):
    """Words only inside the attached PDF find the document; the excerpt shows them marked."""
    document = make_document("15/QĐ-UBND", summary="Về việc hỗ trợ nhà ở")
    document.files.create(file=pdf_upload("qd.pdf", ["Dieu 1. Muc ho tro 40 trieu dong", "cho moi ho ngheo"]))
    assert document.files.get().text.startswith("Dieu 1. Muc ho tro 40 trieu dong")
    assert titles("trieu dong moi ho ngheo") == ["Quyết định 15/QĐ-UBND: Về việc hỗ trợ nhà ở"]
    html = client.get("/tim-kiem/", {"q": "ho ngheo"}).content.decode()
    assert "<mark>ho</mark> <mark>ngheo</mark>" in html


def test_docx_text_of_a_procedure_form_is_found():
    """A Word form's paragraphs, with Vietnamese diacritics, are found with or without them."""
    procedure = make_procedure("Đăng ký thường trú", sector="Cư trú")
    procedure.forms.create(title="Tờ khai CT01", file=docx_upload("ct01.docx", ["Tờ khai thay đổi thông tin cư trú"]))
    assert procedure.forms.get().text == "Tờ khai thay đổi thông tin cư trú"
    assert titles("thay doi thong tin cu tru") == ["Đăng ký thường trú"]
    assert titles("thay đổi thông tin") == ["Đăng ký thường trú"]


def test_removing_a_file_removes_its_text_from_search():
    """Deleting the attachment re-indexes its document without the file's words."""
    document = make_document()
    item = document.files.create(file=pdf_upload("qd.pdf", ["Tu khoa rieng trong tep"]))
    assert titles("rieng trong tep")
    item.delete()
    assert titles("rieng trong tep") == []
    assert titles("ke hoach su dung dat")


def test_a_scanned_pdf_without_text_is_saved_and_simply_not_extracted():
    """A PDF with no text layer (a scan) gives no text and no error; the document stays searchable."""
    document = make_document()
    item = document.files.create(file=SimpleUploadedFile("scan.pdf", tiny_pdf([]), content_type="application/pdf"))
    assert item.text == ""
    assert titles("ke hoach su dung dat")


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("pdf", b"%PDF-1.4\nthis is not really a pdf"),
        ("docx", b"PK\x03\x04 broken zip"),
        ("xlsx", b"PK\x03\x04"),
        ("doc", b"\xd0\xcf\x11\xe0"),
    ],
)
def test_unreadable_or_other_files_give_no_text_and_no_error(kind, data):
    """A broken PDF or DOCX, or a kind not read (XLSX, DOC), gives "" and raises nothing."""
    assert extract_text(io.BytesIO(data), kind) == ""


def test_extracted_text_is_bounded_in_size_and_time(monkeypatch):
    """At most `max_chars` characters are kept; past the time limit no further page is read."""
    pdf = io.BytesIO(tiny_pdf([f"Dong so {n} cua van ban" for n in range(40)]))
    assert len(extract_text(pdf, "pdf", max_chars=50)) <= 50
    assert extract_text(pdf, "pdf", seconds=0) == ""
    assert pdf.tell() == 0  # the upload is left ready to be stored


def test_a_docx_too_large_inside_is_not_read(monkeypatch):
    """A DOCX whose XML unpacks past the limit (a zip bomb) is not opened."""
    monkeypatch.setattr(filetext, "MAX_DOCX_XML_BYTES", 100)
    upload = docx_upload("lon.docx", ["Nội dung"])
    with zipfile.ZipFile(upload) as archive:
        assert sum(i.file_size for i in archive.infolist() if i.filename.startswith("word/")) > 100
    assert extract_text(upload, "docx") == ""


def test_the_excerpt_starts_where_the_words_are_side_by_side():
    """The excerpt shows the phrase, not the first scattered word; words typed so far are marked too."""
    text = "Quốc hội họp. " + "Nội dung khác. " * 40 + "Diễn tập bảo đảm quốc phòng toàn dân."
    result = snippet(text, parse_query("quoc pho"))
    assert "<mark>quốc</mark> <mark>phòng</mark>" in result
    assert result.startswith("… ")


def test_the_excerpt_comes_from_the_sapo_when_the_words_are_there(client):
    """An article matched in its sapo shows the sapo's words marked."""
    make_article("Tin hoạt động", sapo="Xã Kim Chính đạt chuẩn nông thôn mới.", body="<p>Nội dung dài.</p>")
    html = client.get("/tim-kiem/", {"q": "nong thon moi"}).content.decode()
    assert "<mark>nông</mark> <mark>thôn</mark> <mark>mới</mark>" in html


def test_search_entries_keep_the_parts_apart():
    """Title, lead and body are stored apart, folded and exact, and a document keeps its number."""
    make_article("Kim Đồng", sapo="Sapo Đặc biệt", body="<p>Thân bài</p>")
    make_document("125/QĐ-UBND")
    article, document = SearchEntry.objects.order_by("kind")
    assert (article.title_exact, article.lead_norm, article.body_norm) == (
        " kim đồng ",
        " sapo dac biet ",
        " than bai ",
    )
    assert document.code_norm == " 125 qd ubnd "


def test_the_command_reads_the_text_of_files_attached_before(tmp_path):
    """`manage.py extract_file_text` fills the text of older files and their documents become searchable."""
    from django.core.management import call_command

    from documents.models import DocumentFile

    document = make_document()
    item = document.files.create(file=pdf_upload("cu.pdf", ["Noi dung tep cu da dinh kem"]))
    DocumentFile.objects.filter(pk=item.pk).update(text="")
    document.save()
    assert titles("tep cu da dinh kem") == []
    out = io.StringIO()
    call_command("extract_file_text", stdout=out)
    assert "đọc được chữ của 1 tệp" in out.getvalue()
    assert titles("tep cu da dinh kem") == ["Quyết định 125/QĐ-UBND: Về việc phê duyệt kế hoạch sử dụng đất"]
    item.file.storage.delete(item.file.name)
    DocumentFile.objects.filter(pk=item.pk).update(text="")
    out = io.StringIO()
    call_command("extract_file_text", stdout=out)
    assert "1 tệp không còn trong kho lưu trữ" in out.getvalue()


def test_editors_see_whether_a_file_has_searchable_text(client):
    """The document's admin page says how much text was read from each file, or that none was."""
    from tests.factories import make_staff

    document = make_document()
    document.files.create(file=pdf_upload("co-chu.pdf", ["Hai muoi ky tu o day"]))
    document.files.create(file=SimpleUploadedFile("scan.pdf", tiny_pdf([]), content_type="application/pdf"))
    client.force_login(make_staff("bientap", superuser=True))
    html = client.get(reverse("admin:documents_document_change", args=[document.pk])).content.decode()
    assert "Chữ để tìm kiếm" in html
    assert "20 ký tự" in html
    assert "Không có (tệp quét, không phải PDF/DOCX, hoặc không đọc được)" in html
