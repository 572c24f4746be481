"""Open data of documents: /du-lieu-mo/van-ban.json and .csv, with the list page's filters, and the page
that documents their fields."""

import csv
import io
from datetime import timedelta

import jsonschema
import pytest
from django.utils import timezone

from documents.models import Agency, DocumentType
from tests.factories import make_document, pdf_upload

pytestmark = pytest.mark.django_db

DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
LINKED = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["number", "url"],
        "properties": {"number": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
        "additionalProperties": False,
    },
}
SCHEMA = {
    "type": "object",
    "required": ["count", "page", "pages", "next", "previous", "results"],
    "additionalProperties": False,
    "properties": {
        "count": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "next": {"type": ["string", "null"]},
        "previous": {"type": ["string", "null"]},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "number",
                    "type",
                    "agency",
                    "sector",
                    "issued_on",
                    "effective_from",
                    "effective_until",
                    "published_at",
                    "status",
                    "status_label",
                    "signer_name",
                    "signer_title",
                    "summary",
                    "replaces",
                    "amends",
                    "files",
                    "url",
                ],
                "properties": {
                    "id": {"type": "integer"},
                    "number": {"type": "string"},
                    "type": {"type": "string"},
                    "agency": {"type": "string"},
                    "sector": {"type": "string"},
                    "issued_on": {**DATE, "type": "string"},
                    "effective_from": DATE,
                    "effective_until": DATE,
                    "published_at": {"type": "string"},
                    "status": {"enum": ["active", "expired", "pending"]},
                    "status_label": {"type": "string"},
                    "signer_name": {"type": "string"},
                    "signer_title": {"type": "string"},
                    "summary": {"type": "string"},
                    "replaces": LINKED,
                    "amends": LINKED,
                    "files": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "kind", "size", "url"],
                            "additionalProperties": False,
                            "properties": {
                                "name": {"type": "string"},
                                "kind": {"type": "string"},
                                "size": {"type": "integer"},
                                "url": {"type": "string"},
                            },
                        },
                    },
                    "url": {"type": "string"},
                },
            },
        },
    },
}


@pytest.fixture
def documents():
    old = make_document("10/QĐ-UBND", summary="Quy định cũ về đất đai", days=400)
    old.effective_until = timezone.localdate() - timedelta(days=10)
    old.save()
    new = make_document("125/QĐ-UBND", summary="Về việc phê duyệt kế hoạch sử dụng đất, “năm 2025”", days=5)
    new.replaces.add(old)
    new.files.create(file=pdf_upload("ke-hoach.pdf"), title="Quyết định 125")
    plan = make_document(
        "7/KH-UBND", summary="Kế hoạch tuyển quân", days=3, doc_type=DocumentType.objects.create(name="Kế hoạch")
    )
    plan.amends.add(new)
    make_document("99/QĐ-UBND", summary="Bản nháp chưa công khai", is_published=False)
    make_document("98/QĐ-UBND", summary="Hẹn giờ", publish_at=timezone.now() + timedelta(days=1))
    return {"old": old, "new": new, "plan": plan}


def test_json_lists_every_public_document_with_its_fields(client, documents):
    """Valid against the schema, newest first, drafts and scheduled ones left out, links absolute."""
    response = client.get("/du-lieu-mo/van-ban.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"  # other sites' scripts may read open data
    data = response.json()
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [d["number"] for d in data["results"]] == ["7/KH-UBND", "125/QĐ-UBND", "10/QĐ-UBND"]
    new = data["results"][1]
    assert new["summary"] == "Về việc phê duyệt kế hoạch sử dụng đất, “năm 2025”"
    assert new["replaces"] == [{"number": "10/QĐ-UBND", "url": f"http://testserver/van-ban/{documents['old'].pk}/"}]
    assert new["files"][0]["url"].startswith("http://testserver/van-ban/tai-ve/")
    assert new["files"][0]["kind"] == "pdf"
    assert data["results"][0]["amends"][0]["number"] == "125/QĐ-UBND"
    assert data["results"][2]["status"] == "expired" and data["results"][2]["status_label"] == "Hết hiệu lực"
    assert "“năm 2025”".encode() in response.content  # Vietnamese as UTF-8, not \\u escapes


def test_json_takes_the_list_filters_and_pages(client, documents, monkeypatch):
    """The list page's filters narrow the data; pages link to each other."""
    agency = Agency.objects.get()
    data = client.get("/du-lieu-mo/van-ban.json", {"tinh_trang": "expired"}).json()
    assert [d["number"] for d in data["results"]] == ["10/QĐ-UBND"]
    data = client.get("/du-lieu-mo/van-ban.json", {"q": "ke hoach", "co_quan": agency.pk}).json()
    assert [d["number"] for d in data["results"]] == ["7/KH-UBND", "125/QĐ-UBND"]
    monkeypatch.setattr("documents.open_data.PAGE_SIZE", 2)
    first = client.get("/du-lieu-mo/van-ban.json").json()
    assert (first["count"], first["pages"], first["previous"]) == (3, 2, None)
    second = client.get(first["next"]).json()
    assert [d["number"] for d in second["results"]] == ["10/QĐ-UBND"]
    assert second["next"] is None and second["previous"].endswith("/du-lieu-mo/van-ban.json")


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"loai": "999"}, 400, "Loại văn bản không có trong danh sách."),
        ({"tinh_trang": "xyz"}, 400, "Tình trạng không có trong danh sách."),
        ({"page": "abc"}, 400, "Số trang không hợp lệ."),
        ({"page": "99"}, 404, "Không có trang này."),
    ],
)
def test_bad_filters_get_a_vietnamese_message_and_4xx(client, documents, params, status, message):
    """Unknown choices and pages answer 4xx with a Vietnamese message in JSON, never a 500."""
    for path in ("/du-lieu-mo/van-ban.json", "/du-lieu-mo/van-ban.csv"):
        if path.endswith(".csv") and "page" in params:
            continue
        response = client.get(path, params)
        assert response.status_code == status, path
        assert message in response.content.decode(), path


def test_csv_streams_every_public_document_with_a_bom_for_excel(client, documents):
    """UTF-8 with BOM, one header row of the documented fields, Vietnamese intact, filters applied."""
    response = client.get("/du-lieu-mo/van-ban.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="van-ban.csv"' in response["Content-Disposition"]
    assert response["Access-Control-Allow-Origin"] == "*"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["number"] for row in rows] == ["7/KH-UBND", "125/QĐ-UBND", "10/QĐ-UBND"]
    assert rows[1]["summary"] == "Về việc phê duyệt kế hoạch sử dụng đất, “năm 2025”"
    assert rows[1]["replaces"] == "10/QĐ-UBND"
    assert rows[1]["files"].startswith("http://testserver/van-ban/tai-ve/")
    assert rows[1]["type"] == "Quyết định" and rows[1]["agency"] == "UBND huyện Kim Sơn"
    filtered = client.get("/du-lieu-mo/van-ban.csv", {"loai": DocumentType.objects.get(name="Kế hoạch").pk})
    rows = list(csv.DictReader(io.StringIO(b"".join(filtered.streaming_content).decode("utf-8-sig"))))
    assert [row["number"] for row in rows] == ["7/KH-UBND"]


def test_open_data_costs_a_bounded_number_of_queries(client, documents, django_assert_max_num_queries):
    """More documents, files and links do not mean more queries."""
    with django_assert_max_num_queries(12) as few:
        client.get("/du-lieu-mo/van-ban.json")
        b"".join(client.get("/du-lieu-mo/van-ban.csv").streaming_content)
    for n in range(10):
        document = make_document(f"{200 + n}/QĐ-UBND", days=n)
        document.replaces.add(documents["old"])
        document.files.create(file=pdf_upload())
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/du-lieu-mo/van-ban.json")
        b"".join(client.get("/du-lieu-mo/van-ban.csv").streaming_content)


def test_json_is_cached_until_content_changes(client, documents):
    """Asked for again, the answer is kept; then it reads no document rows; a new document is in the next one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/du-lieu-mo/van-ban.json")
    client.get("/du-lieu-mo/van-ban.json")
    with CaptureQueriesContext(connection) as queries:
        client.get("/du-lieu-mo/van-ban.json")
    assert not [q for q in queries if "documents_document" in q["sql"]]
    make_document("300/QĐ-UBND", days=0)
    assert client.get("/du-lieu-mo/van-ban.json").json()["count"] == 4


def test_the_open_data_page_documents_the_fields_and_is_linked(client, documents):
    """/du-lieu-mo/ names every field in Vietnamese; the documents page and the footer link to it."""
    html = client.get("/du-lieu-mo/").content.decode()
    for name in SCHEMA["properties"]["results"]["items"]["required"]:
        assert f"<code>{name}</code>" in html, name
    assert 'href="/du-lieu-mo/van-ban.json"' in html and 'href="/du-lieu-mo/van-ban.csv"' in html
    assert "Số, ký hiệu văn bản" in html
    listing = client.get("/van-ban/").content.decode()
    assert 'href="/du-lieu-mo/"' in listing
    assert 'href="/du-lieu-mo/van-ban.csv"' in listing
    home = client.get("/").content.decode()
    assert 'href="/du-lieu-mo/"' in home.split('<footer class="footer">')[1]
    assert "/du-lieu-mo/</loc>" in client.get("/sitemap-muc.xml").content.decode()


def test_the_documents_page_links_the_open_data_with_its_filters(client, documents):
    """The documents page keeps its title and offers the CSV and JSON of what it lists."""
    html = client.get("/van-ban/", {"tinh_trang": "expired"}).content.decode()
    assert "<title>Văn bản điện tử - " in html
    assert html.count('class="open-data-links"') == 1 and html.index("</title>") < html.index("open-data-links")
    assert 'href="/du-lieu-mo/van-ban.csv?tinh_trang=expired"' in html
    assert "Tải danh sách văn bản theo bộ lọc này" in html
