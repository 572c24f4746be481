"""Open data of documents: every public document as JSON (paginated) or CSV (streamed).

The list page's filters (DocumentFilterForm) are the query parameters. The JSON pages are kept in
the cache until any content changes, as pages are (portal.pagecache.cached); the CSV is written
row by row from the database, so a whole archive never sits in memory. FIELDS is what the page
/du-lieu-mo/ documents.
"""

import csv
import hashlib
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from portal.pagecache import cached

from .forms import DocumentFilterForm
from .models import Document

PAGE_SIZE = 100
CSV_CHUNK = 500
BOM = "\ufeff"

# (field, what it holds, example): the same names in JSON and in the CSV header.
FIELDS = [
    ("id", "Mã văn bản trên cổng (dùng trong đường dẫn)", "42"),
    ("number", "Số, ký hiệu văn bản", "125/QĐ-UBND"),
    ("type", "Loại văn bản", "Quyết định"),
    ("agency", "Cơ quan ban hành", "UBND huyện Kim Sơn"),
    ("sector", "Lĩnh vực", "Đất đai"),
    ("issued_on", "Ngày ban hành (năm-tháng-ngày)", "2025-03-15"),
    ("effective_from", "Ngày có hiệu lực; trống nếu có hiệu lực từ ngày ban hành", "2025-04-01"),
    ("effective_until", "Ngày hết hiệu lực; trống nếu chưa xác định", ""),
    ("published_at", "Thời điểm đăng lên cổng (giờ Việt Nam)", "2025-03-16T08:00:00+07:00"),
    ("status", "Tình trạng hiệu lực hôm nay: active, expired hoặc pending", "active"),
    ("status_label", "Tình trạng bằng tiếng Việt", "Còn hiệu lực"),
    ("signer_name", "Người ký", "Trần Văn Quang"),
    ("signer_title", "Chức vụ người ký", "Chủ tịch UBND huyện"),
    ("summary", "Trích yếu", "Về việc phê duyệt kế hoạch sử dụng đất năm 2025"),
    ("replaces", "Các văn bản được văn bản này thay thế (số, ký hiệu và đường dẫn)", "10/QĐ-UBND"),
    ("amends", "Các văn bản được văn bản này sửa đổi, bổ sung", ""),
    ("files", "Tệp đính kèm: tên, định dạng, dung lượng (byte), đường dẫn tải về", ""),
    ("url", "Trang của văn bản trên cổng", ""),
]


def _filtered(request):
    """(the filtered public documents, None) or (None, the form's errors)."""
    published = Document.objects.published()
    years = [d.year for d in published.dates("issued_on", "year", order="DESC")]
    form = DocumentFilterForm(request.GET, years=years)
    if not form.is_valid():
        return None, {name: [str(e) for e in errors] for name, errors in form.errors.items()}
    linked = Document.objects.published().only("pk", "number")
    documents = form.filter(published).select_related("doc_type", "agency", "sector").order_by("-issued_on", "-id")
    documents = documents.prefetch_related(
        "files", Prefetch("replaces", queryset=linked), Prefetch("amends", queryset=linked)
    )
    return documents, None


def _date(value):
    return value.isoformat() if value else None


def _record(document, request, today):
    status = document.status_on(today)
    return {
        "id": document.pk,
        "number": document.number,
        "type": document.doc_type.name,
        "agency": document.agency.name,
        "sector": document.sector.name,
        "issued_on": _date(document.issued_on),
        "effective_from": _date(document.effective_from),
        "effective_until": _date(document.effective_until),
        "published_at": timezone.localtime(document.publish_at).isoformat(),
        "status": status.value,
        "status_label": status.label,
        "signer_name": document.signer_name,
        "signer_title": document.signer_title,
        "summary": document.summary,
        "replaces": [_link(other, request) for other in document.replaces.all()],
        "amends": [_link(other, request) for other in document.amends.all()],
        "files": [
            {
                "name": item.download_name,
                "kind": item.kind,
                "size": item.size,
                "url": request.build_absolute_uri(item.get_absolute_url()),
            }
            for item in document.files.all()
        ],
        "url": request.build_absolute_uri(document.get_absolute_url()),
    }


def _link(document, request):
    return {"number": document.number, "url": request.build_absolute_uri(document.get_absolute_url())}


def _bad_filters(errors):
    return {"message": "Điều kiện lọc không hợp lệ.", "errors": errors}


def _json_page(request, number):
    """The JSON body of page `number`, or (status, message) when there is no such page."""
    documents, errors = _filtered(request)
    if errors:
        return 400, _bad_filters(errors)
    paginator = Paginator(documents, PAGE_SIZE)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return 404, {"message": "Không có trang này."}
    today = timezone.localdate()

    def link(n):
        params = [(k, v) for k, v in sorted(request.GET.items()) if k != "page" and v]
        params += [("page", n)] if n > 1 else []
        path = reverse("open_data:documents_json") + (f"?{urlencode(params)}" if params else "")
        return request.build_absolute_uri(path)

    return 200, {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [_record(document, request, today) for document in page.object_list],
    }


def _open(response):
    # Public data without cookies or credentials: any site's scripts may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(status, body):
    return _open(JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False}))


def documents_json(request):
    """GET /du-lieu-mo/van-ban.json?loai=&co_quan=&linh_vuc=&nam=&tinh_trang=&q=&page="""
    raw_page = request.GET.get("page", "1")
    if not raw_page.isdigit() or len(raw_page) > 6:
        return _json(400, {"message": "Số trang không hợp lệ."})
    params = urlencode(sorted((k, v) for k, v in request.GET.items() if v))
    key = hashlib.md5(f"{request.get_host()}?{params}".encode(), usedforsecurity=False).hexdigest()
    status, body = cached(f"opendata:documents:{key}", lambda: _json_page(request, int(raw_page)), repeated_only=True)
    return _json(status, body)


class _Echo:
    """csv.writer writes into this and gets the line back, so each row can be streamed."""

    def write(self, value):
        return value


def _csv_rows(documents, request):
    writer = csv.writer(_Echo())
    names = [name for name, _, _ in FIELDS]
    yield BOM + writer.writerow(names)
    today = timezone.localdate()
    for document in documents.iterator(chunk_size=CSV_CHUNK):
        record = _record(document, request, today)
        record["replaces"] = "; ".join(other["number"] for other in record["replaces"])
        record["amends"] = "; ".join(other["number"] for other in record["amends"])
        record["files"] = "; ".join(item["url"] for item in record["files"])
        yield writer.writerow(["" if record[name] is None else record[name] for name in names])


def documents_csv(request):
    """GET /du-lieu-mo/van-ban.csv with the same filters, UTF-8 with a BOM so Excel reads Vietnamese."""
    documents, errors = _filtered(request)
    if errors:
        lines = [body for messages in errors.values() for body in messages]
        return HttpResponse(
            "\n".join(["Điều kiện lọc không hợp lệ.", *lines]), status=400, content_type="text/plain; charset=utf-8"
        )
    response = StreamingHttpResponse(_csv_rows(documents, request), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="van-ban.csv"'
    return _open(response)


def index(request):
    """GET /du-lieu-mo/: what is published as open data and what each field means."""
    context = {
        "fields": FIELDS,
        "page_size": PAGE_SIZE,
        "filters": [(field.name, field.label) for field in DocumentFilterForm()],
        "crumbs": [("Dữ liệu mở", None)],
    }
    return render(request, "documents/open_data.html", context)
