"""The text inside an attached PDF or DOCX, so search can find what a decision actually says.

Bounded so that one upload cannot stall a save: at most MAX_PDF_PAGES pages or MAX_DOCX_XML_BYTES of
Word XML are read, at most MAX_TEXT_CHARS characters kept, and reading stops once
MAX_SECONDS have passed (checked between pages and paragraphs). A scanned PDF has no text layer
and gives "", as does a file the libraries cannot read: the upload itself was already checked by
portal.files, and an attachment without searchable text is not an error for the editor.
"""

import logging
import time
import zipfile

from django.db import models

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 50_000
MAX_PDF_PAGES = 200
MAX_DOCX_XML_BYTES = 30 * 1024 * 1024
MAX_SECONDS = 5.0
EXTRACTABLE_KINDS = ("pdf", "docx")


class _Collector:
    """Pieces of text up to MAX_TEXT_CHARS and until the deadline."""

    def __init__(self, max_chars, seconds):
        self.pieces, self.size = [], 0
        self.max_chars = max_chars
        self.deadline = time.monotonic() + seconds

    @property
    def full(self):
        return self.size >= self.max_chars or time.monotonic() > self.deadline

    def add(self, text):
        text = (text or "").strip()
        if text:
            self.pieces.append(text[: self.max_chars - self.size])
            self.size += len(self.pieces[-1]) + 1

    def text(self):
        return " ".join(self.pieces)


def _pdf(upload, collector):
    from pypdf import PdfReader

    reader = PdfReader(upload)
    if reader.is_encrypted:
        reader.decrypt("")  # many official PDFs are "encrypted" with an empty password against editing
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or collector.full:
            break
        collector.add(page.extract_text())


def _docx(upload, collector):
    import docx

    with zipfile.ZipFile(upload) as archive:
        if sum(info.file_size for info in archive.infolist() if info.filename.startswith("word/")) > MAX_DOCX_XML_BYTES:
            return  # a "zip bomb" or a huge document: not read
    upload.seek(0)
    document = docx.Document(upload)
    for paragraph in document.paragraphs:
        if collector.full:
            return
        collector.add(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            if collector.full:
                return
            collector.add(" ".join(cell.text for cell in row.cells))


def extract_text(upload, kind, max_chars=MAX_TEXT_CHARS, seconds=MAX_SECONDS):
    """The text of `upload` (an open file) of `kind` ("pdf", "docx"); "" when there is none."""
    if kind not in EXTRACTABLE_KINDS:
        return ""
    collector = _Collector(max_chars, seconds)
    try:
        upload.seek(0)
        (_pdf if kind == "pdf" else _docx)(upload, collector)
    except Exception as error:  # noqa: BLE001 - malformed files raise anything; the save must go on
        logger.warning("No text read from %s file %s: %r", kind, getattr(upload, "name", ""), error)
    finally:
        upload.seek(0)
    return collector.text()


class FileText(models.Model):
    """For a model with an uploaded `file` and its sniffed `kind`: the file's text, read when a new
    file is saved (call `read_text()` in save) and by `manage.py extract_file_text`."""

    text = models.TextField("Nội dung chữ của tệp", blank=True, editable=False, help_text="Đọc từ PDF, DOCX khi lưu.")

    class Meta:
        abstract = True

    def read_text(self):
        self.text = extract_text(self.file, self.kind)

    def text_found(self):
        """For editors: whether search can see inside the file (a scan has no text)."""
        if not self.pk:
            return ""
        if self.text:
            return f"{len(self.text):,} ký tự".replace(",", ".")
        return "Không có (tệp quét, không phải PDF/DOCX, hoặc không đọc được)"

    text_found.short_description = "Chữ để tìm kiếm"
