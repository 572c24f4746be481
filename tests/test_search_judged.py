"""The judged set: queries a resident types, and what must come in the top 3 for each.

The content below is written for it, with look-alike decoys: "văn bản" beside "vận … địa bàn",
"nông thôn mới" beside "mới … nông dân … thôn", "Kim Đồng" beside "Kim Đông", 125/QĐ-UBND beside
1250/QĐ-UBND and 125/KH-UBND. The suite prints the share of queries met and fails below 95 %.
It runs on the database of the run: SQLite, and PostgreSQL in CI's second run. A reference
scorer written here in Python, from the weights alone, must give the same hits and the same top 3
on either database, so both rank alike.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from search.models import SearchEntry
from search.queries import WEIGHTS, SearchResults
from search.text import parse_query
from tests.factories import make_article, make_category, make_document, make_procedure

pytestmark = pytest.mark.django_db

REQUIRED_SHARE = 0.95

ARTICLES = [
    # (title, sapo, body, days ago)
    ("Hướng dẫn soạn thảo văn bản hành chính cho cán bộ xã", "Tập huấn kỹ năng cho công chức.", "", 30),
    ("Vận động nhân dân giữ gìn an ninh trật tự trên địa bàn", "Công an xã ra quân.", "", 1),
    ("Khai giảng năm học mới tại các trường trên địa bàn huyện", "Học sinh vận dụng kiến thức.", "", 2),
    ("Triển khai Nghị định 100 về xử phạt vi phạm giao thông", "Phổ biến đến người dân.", "", 25),
    ("Lực lượng vũ trang nghỉ ngơi, ổn định đội hình sau diễn tập", "Quân sự huyện tổng kết.", "", 3),
    ("Huấn luyện dân quân tự vệ năm 2025", "Ban Chỉ huy Quân sự huyện tổ chức huấn luyện.", "", 40),
    ("Quân sự huyện giúp dân thu hoạch lúa", "Bộ đội xuống đồng cùng bà con.", "", 4),
    ("Diễn tập khu vực phòng thủ bảo đảm quốc phòng toàn dân", "Huyện tổ chức diễn tập.", "", 35),
    ("Tuyến phố mới bên quốc lộ 10 hoàn thành", "Đường phố khang trang.", "", 5),
    ("Trường THCS Kim Đồng khai giảng năm học mới", "Học sinh dự lễ khai giảng.", "", 50),
    ("Xã Kim Đông thu hoạch lúa xuân", "Năng suất đạt khá.", "", 6),
    ("Xã Kim Chính đạt chuẩn nông thôn mới", "Xã thứ mười của huyện về đích.", "", 60),
    ("Mới đây, nông dân thôn Tân Hưng ra quân làm thủy lợi", "Nạo vét kênh mương.", "", 7),
    ("Lễ hội đền Chính Khẩu thu hút du khách", "Lễ hội truyền thống đầu xuân.", "", 45),
    (
        "Huyện tổng kết công tác năm",
        "Báo cáo tại hội nghị.",
        "<p>Trong năm, huyện đẩy mạnh chuyển đổi số, phủ sóng cáp quang đến các thôn.</p>",
        8,
    ),
    ("Phát triển kinh tế biển Kim Sơn", "Nuôi trồng thủy sản ven biển.", "<p>Bãi bồi Kim Sơn lấn biển.</p>", 55),
    ("Người dân phố biển đón Tết", "Chợ hoa ven biển nhộn nhịp.", "", 9),
    ("Hội thi tìm hiểu pháp luật về đất đai", "Cán bộ, nhân dân tham gia hội thi.", "", 33),
    ("Giá đất nông nghiệp ổn định", "Thị trường đất đai yên ắng.", "<p>Kế hoạch sử dụng đất chưa có thay đổi.</p>", 10),
    ("Tiêm chủng vắc xin cho trẻ em", "Trạm y tế xã triển khai đợt tiêm.", "", 42),
    ("Trẻ em được tiêm phòng đầy đủ", "Y tế xã báo cáo kết quả.", "", 11),
    ("Chuyển đổi số trong cải cách hành chính", "Người dân nộp hồ sơ trực tuyến.", "", 48),
    ("Cải cách giờ làm việc hành chính mùa hè", "Giờ làm việc mới từ tháng năm.", "", 12),
    ("Phòng chống lụt bão năm 2025", "Huyện chủ động phương án.", "", 38),
    ("Bão số 3 gây lụt cục bộ ở vùng trũng", "Thiệt hại nhẹ.", "", 13),
    ("Học sinh giỏi cấp tỉnh năm học 2024-2025", "Huyện đạt 40 giải.", "", 44),
]

DOCUMENTS = [
    # (number, type, summary, days ago)
    ("125/QĐ-UBND", "Quyết định", "Về việc phê duyệt kế hoạch sử dụng đất năm 2025 huyện Kim Sơn", 90),
    ("1250/QĐ-UBND", "Quyết định", "Về việc khen thưởng tập thể có thành tích trong phong trào thi đua", 14),
    ("125/KH-UBND", "Kế hoạch", "Kế hoạch tổ chức Hội khỏe Phù Đổng cấp huyện", 15),
    ("12/QĐ-UBND", "Quyết định", "Về việc thành lập Ban chỉ đạo chuyển đổi số", 16),
    ("45/TB-UBND", "Thông báo", "Thông báo lịch tiếp công dân tháng 12", 17),
    ("88/QĐ-UBND", "Quyết định", "Ban hành quy chế văn hóa công sở", 70),
    ("30/CT-UBND", "Chỉ thị", "Về tăng cường phòng cháy chữa cháy mùa hanh khô", 18),
    ("7/NQ-HĐND", "Nghị quyết", "Về dự toán ngân sách địa phương năm 2026", 65),
]

PROCEDURES = [
    # (name, sector, code)
    ("Đăng ký khai sinh", "Hộ tịch", "1.001193"),
    ("Đăng ký kết hôn", "Hộ tịch", "1.000894"),
    ("Cấp bản sao trích lục hộ tịch", "Hộ tịch", "2.000635"),
    ("Chứng thực bản sao từ bản chính giấy tờ", "Chứng thực", "2.000815"),
    ("Đăng ký thường trú", "Cư trú", "1.004194"),
    ("Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", "1.009972"),
]

TITLE = {}
for number, kind, summary, _ in DOCUMENTS:
    TITLE[number] = f"{kind} {number}: {summary}"

# (query, titles that must be in the top 3, whether the first of them must be first)
JUDGED = [
    ("van ban", ["Hướng dẫn soạn thảo văn bản hành chính cho cán bộ xã", TITLE["88/QĐ-UBND"]], False),
    ("văn bản", ["Hướng dẫn soạn thảo văn bản hành chính cho cán bộ xã"], True),
    ("nghi dinh", ["Triển khai Nghị định 100 về xử phạt vi phạm giao thông"], True),
    ("nghị định 100", ["Triển khai Nghị định 100 về xử phạt vi phạm giao thông"], True),
    ("dan quan", ["Huấn luyện dân quân tự vệ năm 2025"], True),
    ("dân quân tự vệ", ["Huấn luyện dân quân tự vệ năm 2025"], True),
    ("quoc pho", ["Diễn tập khu vực phòng thủ bảo đảm quốc phòng toàn dân"], True),
    ("quốc phòng", ["Diễn tập khu vực phòng thủ bảo đảm quốc phòng toàn dân"], True),
    ("Kim Đồng", ["Trường THCS Kim Đồng khai giảng năm học mới"], True),
    ("Kim Đông", ["Xã Kim Đông thu hoạch lúa xuân"], True),
    ("kim dong", ["Trường THCS Kim Đồng khai giảng năm học mới", "Xã Kim Đông thu hoạch lúa xuân"], False),
    ("kim Đồng khai giang", ["Trường THCS Kim Đồng khai giảng năm học mới"], True),
    ("trường kim đồng", ["Trường THCS Kim Đồng khai giảng năm học mới"], True),
    ("xã kim đô", ["Xã Kim Đông thu hoạch lúa xuân"], True),
    ("nong thon moi", ["Xã Kim Chính đạt chuẩn nông thôn mới"], True),
    ("nông thôn mới", ["Xã Kim Chính đạt chuẩn nông thôn mới"], True),
    ("125/QĐ-UBND", [TITLE["125/QĐ-UBND"]], True),
    ("125/QD-UBND", [TITLE["125/QĐ-UBND"]], True),
    ("125 qd ubnd", [TITLE["125/QĐ-UBND"]], True),
    ("125/qđ-ubnd", [TITLE["125/QĐ-UBND"]], True),
    ("1250/QĐ-UBND", [TITLE["1250/QĐ-UBND"]], True),
    ("125/KH-UBND", [TITLE["125/KH-UBND"]], True),
    ("12/QĐ-UBND", [TITLE["12/QĐ-UBND"]], True),
    ("ke hoach su dung dat", [TITLE["125/QĐ-UBND"]], True),
    ("kế hoạch sử dụng đất", [TITLE["125/QĐ-UBND"]], True),
    ("khai sinh", ["Đăng ký khai sinh"], True),
    ("dang ky ket hon", ["Đăng ký kết hôn"], True),
    ("dang ky ket", ["Đăng ký kết hôn"], True),
    ("chung thuc ban sao", ["Chứng thực bản sao từ bản chính giấy tờ"], True),
    ("ban sao", ["Cấp bản sao trích lục hộ tịch", "Chứng thực bản sao từ bản chính giấy tờ"], False),
    ("trich luc ho tich", ["Cấp bản sao trích lục hộ tịch"], True),
    ("thuong tru", ["Đăng ký thường trú"], True),
    ("giay phep xay dung", ["Cấp giấy phép xây dựng nhà ở riêng lẻ"], True),
    ("1.001193", ["Đăng ký khai sinh"], True),
    ("chuyen doi so", [TITLE["12/QĐ-UBND"], "Chuyển đổi số trong cải cách hành chính"], False),
    ("cai cach hanh chinh", ["Chuyển đổi số trong cải cách hành chính"], True),
    ("tiem chung", ["Tiêm chủng vắc xin cho trẻ em"], True),
    ("lụt bão", ["Phòng chống lụt bão năm 2025"], True),
    ("phong chay chua chay", [TITLE["30/CT-UBND"]], True),
    ("tiep cong dan", [TITLE["45/TB-UBND"]], True),
    ("du toan ngan sach", [TITLE["7/NQ-HĐND"]], True),
    ("le hoi den chinh khau", ["Lễ hội đền Chính Khẩu thu hút du khách"], True),
    ("kinh te bien", ["Phát triển kinh tế biển Kim Sơn"], True),
    ("phố biển", ["Người dân phố biển đón Tết"], True),
    ("phap luat dat dai", ["Hội thi tìm hiểu pháp luật về đất đai"], True),
    ("hoc sinh gioi", ["Học sinh giỏi cấp tỉnh năm học 2024-2025"], True),
    ("hội khỏe phù đổng", [TITLE["125/KH-UBND"]], True),
    ("quy che van hoa cong so", [TITLE["88/QĐ-UBND"]], True),
    ("khen thuong", [TITLE["1250/QĐ-UBND"]], True),
    # Inside the attached files: the PDF's text and the Word form's text.
    ("ho tro ho ngheo xay nha", [TITLE["7/NQ-HĐND"]], True),
    ("mẫu tờ khai đăng ký thường trú", ["Đăng ký thường trú"], True),
    ("cap quang", ["Huyện tổng kết công tác năm"], True),
]


def docx_upload(name, paragraphs):
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def judged_content():
    from documents.models import DocumentType
    from services.models import ProcedureForm
    from tests.factories import pdf_upload

    make_category("Tin tức")
    for title, sapo, body, days in ARTICLES:
        make_article(title, days=days, sapo=sapo, body=body or "<p>Nội dung.</p>")
    documents = {}
    for number, kind, summary, days in DOCUMENTS:
        doc_type = DocumentType.objects.get_or_create(name=kind)[0]
        documents[number] = make_document(number, summary=summary, days=days, doc_type=doc_type)
    documents["7/NQ-HĐND"].files.create(
        file=pdf_upload("nghi-quyet.pdf", ["Dieu 3. Ho tro ho ngheo xay nha o", "muc 40 trieu dong moi ho"])
    )
    procedures = {}
    for name, sector, code in PROCEDURES:
        procedures[name] = make_procedure(name, sector=sector, code=code)
    ProcedureForm.objects.create(
        procedure=procedures["Đăng ký thường trú"],
        title="Tờ khai CT01",
        file=docx_upload("ct01.docx", ["Mẫu tờ khai thay đổi thông tin cư trú", "Đăng ký thường trú tại xã"]),
    )


def reference_order(query):
    """The hits and their order from the weights alone, computed in Python over every entry."""

    def has_all(texts, query):
        for n, word in enumerate(query.words):
            last = query.prefix and n == len(query.words) - 1
            if not any((f" {word}" if last else f" {word} ") in text for text in texts):
                return False
        return True

    phrase = query.phrase()
    # The words typed with diacritics, as typed (the last one still a prefix if it was one).
    typed = [
        (t, n == len(query.words) - 1) for n, (w, t) in enumerate(zip(query.words, query.exact, strict=True)) if t != w
    ]
    accented = query._replace(words=tuple(t for t, _ in typed), prefix=query.prefix and bool(typed) and typed[-1][1])
    ranked = []
    for entry in SearchEntry.objects.filter(visible_from__lte=timezone.now()):
        if not has_all([entry.title_norm, entry.lead_norm, entry.body_norm], query):
            continue
        met = {
            "code": query.words[0].isdigit() and entry.code_norm.startswith(phrase),
            "title_phrase": phrase in entry.title_norm,
            "title_all": has_all([entry.title_norm], query),
            "lead_phrase": phrase in entry.lead_norm,
            "lead_all": has_all([entry.lead_norm], query),
            "body_phrase": phrase in entry.body_norm,
            "title_whole": query.prefix and query._replace(prefix=False).phrase() in entry.title_norm,
            "title_exact": query.has_diacritics and has_all([entry.title_exact], accented),
            "lead_exact": query.has_diacritics and has_all([entry.lead_exact], accented),
        }
        score = sum(WEIGHTS[name] for name, value in met.items() if value)
        ranked.append((-score, -entry.date.timestamp(), -entry.pk, entry.title))
    return [row[3] for row in sorted(ranked)]


def test_the_judged_set_is_met_on_this_database(judged_content, capsys):
    """At least 95 % of the judged queries have their expected results in the top 3."""
    assert len(JUDGED) >= 40
    missed = []
    for query, expected, first in JUDGED:
        top = [entry.title for entry in SearchResults(query)[0:3]]
        if not set(expected) <= set(top) or (first and top[:1] != expected[:1]):
            missed.append(f"{query!r}: {top}")
    share = 1 - len(missed) / len(JUDGED)
    from django.db import connection

    with capsys.disabled():
        print(f"\njudged search set on {connection.vendor}: {share:.0%} of {len(JUDGED)} queries met")
        for line in missed:
            print("  missed", line)
    assert share >= REQUIRED_SHARE, missed


def test_both_databases_rank_as_the_reference_does(judged_content):
    """The same hits as the Python reference, and the same top 3, for every judged query."""
    for query, _, _ in JUDGED:
        expected = reference_order(parse_query(query))
        results = SearchResults(query)
        found = [entry.title for entry in results[0:100]]
        assert sorted(found) == sorted(expected), query
        assert found[:3] == expected[:3], query
