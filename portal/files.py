"""Uploaded files checked by their bytes, and safe download headers.

The browser's file name and content type are not trusted: a text file renamed
`.pdf` is still a text file. `sniff` reads the first bytes (and, for Office
formats, the container) to say what a file really is.
"""

import io
import zipfile
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

from .text import strip_diacritics

# kind -> (content type, extension, label shown to users)
KINDS = {
    "pdf": ("application/pdf", ".pdf", "PDF"),
    "jpeg": ("image/jpeg", ".jpg", "JPEG"),
    "png": ("image/png", ".png", "PNG"),
    "gif": ("image/gif", ".gif", "GIF"),
    "webp": ("image/webp", ".webp", "WebP"),
    "doc": ("application/msword", ".doc", "DOC"),
    "xls": ("application/vnd.ms-excel", ".xls", "XLS"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "DOCX"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "XLSX"),
}
IMAGE_KINDS = {"jpeg", "png", "gif", "webp"}
OFFICE_KINDS = {"doc", "xls", "docx", "xlsx"}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_all(upload):
    upload.seek(0)
    try:
        return upload.read()
    finally:
        upload.seek(0)


def sniff(upload):
    """The kind of an uploaded file from its content ("pdf", "docx", ...), or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(_OLE_MAGIC):
        # An OLE container names its main stream in UTF-16: Word or Excel.
        data = _read_all(upload)
        if "WordDocument".encode("utf-16-le") in data:
            return "doc"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        return None
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(_read_all(upload))) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def validate_upload(upload, kinds, max_bytes):
    """Raise a Vietnamese ValidationError unless `upload` is one of `kinds` and small enough.

    Returns the detected kind.
    """
    allowed = ", ".join(KINDS[k][2] for k in kinds)
    if upload.size > max_bytes:
        raise ValidationError(
            "Tệp quá lớn: tối đa %(mb)s MB.", code="too_large", params={"mb": round(max_bytes / (1024 * 1024))}
        )
    kind = sniff(upload)
    if kind not in kinds:
        raise ValidationError(
            "Nội dung tệp không đúng định dạng cho phép (%(allowed)s).", code="bad_type", params={"allowed": allowed}
        )
    return kind


def content_type_for(kind):
    return KINDS.get(kind, ("application/octet-stream",))[0]


def attachment_header(filename):
    """`attachment` Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name.

    "Quyết định 125.pdf" -> attachment; filename="Quyet dinh 125.pdf"; filename*=UTF-8''Quy%E1%BA%BFt...
    """
    filename = "".join(c for c in filename.replace("/", "-").replace("\\", "-") if c.isprintable() and c != '"')
    filename = filename.strip(" .") or "tep-tin"
    fallback = strip_diacritics(filename).encode("ascii", "ignore").decode() or "tep-tin"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_download(field_file, content_type, filename, on_download=None, request=None):
    """A FileResponse for a stored file: real type, safe name, no sniffing.

    `on_download` runs for real downloads only (a GET from a visitor, not a crawler or HEAD).
    A file missing from storage is a 404, not a 500.
    """
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("Tệp không còn trên máy chủ.") from None
    if on_download and request.method == "GET" and not getattr(request, "is_crawler", False):
        on_download()
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = attachment_header(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
