"""About thirty-five demo documents with small generated PDFs. Idempotent: found by number."""

from datetime import date, timedelta

from django.core.files.base import ContentFile

from portal import demo
from portal.pdf import tiny_pdf

from .models import Agency, Document, DocumentFile, DocumentType, Sector

TYPES = [("Quyết định", "QĐ"), ("Kế hoạch", "KH"), ("Thông báo", "TB"), ("Chỉ thị", "CT"), ("Nghị quyết", "NQ")]
# The first unit's: {where} is "xã Kim Sơn", {kind} "xã" (the demo's Kim Sơn is a commune, portal.demo).
AGENCIES = ["UBND {where}", "HĐND {where}", "UBND tỉnh Ninh Bình"]
SECTORS = ["Đất đai", "Giáo dục", "Y tế", "Nông nghiệp", "Xây dựng", "Tài chính", "Nội vụ", "Văn hóa - Thể thao"]
SIGNERS = [
    ("Trần Văn Quang", "Chủ tịch UBND {kind}"),
    ("Phạm Thị Hạnh", "Phó Chủ tịch UBND {kind}"),
    ("Nguyễn Đức Thịnh", "Phó Chủ tịch UBND {kind}"),
]

# (type index, sector index, summary)
SUMMARIES = [
    (0, 0, "Về việc phê duyệt kế hoạch sử dụng đất năm {y} của {where}"),
    (1, 1, "Kế hoạch tuyển sinh vào lớp 1 và lớp 6 năm học {y}-{y1} trên địa bàn {kind}"),
    (2, 2, "Thông báo lịch tiêm chủng mở rộng tháng {m}/{y} tại Trạm Y tế {where}"),
    (0, 3, "Về việc hỗ trợ giống lúa chất lượng cao vụ Xuân {y} cho các hợp tác xã"),
    (3, 4, "Chỉ thị về tăng cường quản lý trật tự xây dựng trên địa bàn {where}"),
    (0, 5, "Về việc giao dự toán thu, chi ngân sách nhà nước năm {y}"),
    (1, 6, "Kế hoạch cải cách hành chính năm {y} của UBND {where}"),
    (2, 7, "Thông báo tổ chức Giải bóng đá thanh niên {where} năm {y}"),
    (0, 0, "Về việc thu hồi đất để thực hiện dự án nâng cấp đường ĐT.481 đoạn qua xã Kim Định"),
    (4, 5, "Nghị quyết về phân bổ vốn đầu tư công trung hạn giai đoạn 2026-2030"),
    (1, 2, "Kế hoạch phòng, chống dịch sốt xuất huyết trên địa bàn {kind} năm {y}"),
    (0, 6, "Về việc kiện toàn Ban Chỉ đạo chuyển đổi số {where}"),
    (2, 3, "Thông báo khung lịch thời vụ gieo cấy lúa vụ Mùa năm {y}"),
    (1, 4, "Kế hoạch xây dựng xã nông thôn mới kiểu mẫu tại xã Chất Bình, Kim Mỹ"),
    (0, 1, "Về việc công nhận trường đạt chuẩn quốc gia cho Trường Tiểu học Lai Thành"),
    (3, 0, "Chỉ thị về tăng cường công tác quản lý đất đai ven biển Cồn Thoi, Kim Hải"),
    (4, 6, "Nghị quyết về chương trình giám sát của HĐND {kind} năm {y}"),
    (1, 7, "Kế hoạch tổ chức Lễ hội Văn hóa Du lịch Phát Diệm năm {y}"),
    (0, 2, "Về việc thành lập Đội cấp cứu lưu động Trung tâm Y tế"),
    (2, 5, "Thông báo công khai quyết toán ngân sách {kind} năm {y0}"),
    (0, 3, "Về việc phê duyệt phương án phòng, chống thiên tai và tìm kiếm cứu nạn năm {y}"),
    (1, 1, "Kế hoạch bồi dưỡng thường xuyên giáo viên mầm non, phổ thông năm học {y}-{y1}"),
    (3, 6, "Chỉ thị về đẩy mạnh thanh toán không dùng tiền mặt trong dịch vụ công"),
    (0, 4, "Về việc phê duyệt quy hoạch chi tiết xây dựng khu dân cư mới thôn Tân Hưng"),
    (2, 0, "Thông báo kết luận thanh tra việc giao đất tại xã Hồi Ninh"),
    (4, 3, "Nghị quyết về chính sách hỗ trợ phát triển nuôi trồng thủy sản vùng bãi bồi"),
    (1, 6, "Kế hoạch tiếp công dân định kỳ của lãnh đạo UBND {kind} năm {y}"),
    (0, 7, "Về việc công nhận danh hiệu Gia đình văn hóa tiêu biểu năm {y0}"),
    (2, 2, "Thông báo tuyển dụng viên chức y tế {where} năm {y}"),
    (0, 5, "Về việc ban hành quy chế quản lý tài sản công tại các cơ quan, đơn vị thuộc {kind}"),
    (1, 3, "Kế hoạch chuyển đổi cơ cấu cây trồng trên đất lúa kém hiệu quả năm {y}"),
    (3, 2, "Chỉ thị về bảo đảm an toàn thực phẩm dịp Tết Nguyên đán"),
    (0, 6, "Về việc giao chỉ tiêu biên chế công chức năm {y}"),
    (2, 4, "Thông báo tạm dừng lưu thông cầu Kim Đông để sửa chữa"),
    (0, 0, "Về việc điều chỉnh bảng giá đất trên địa bàn {where}"),
]


def _lookup(model, names):
    return [model.objects.get_or_create(name=name, defaults={"order": i})[0] for i, name in enumerate(names)]


def seed(log):
    unit = demo.serving()
    words = {"where": unit.full_name, "kind": unit.kind_lower}
    types = _lookup(DocumentType, [name for name, _ in TYPES])
    agencies = _lookup(Agency, [name.format(**words) for name in AGENCIES])
    sectors = _lookup(Sector, SECTORS)
    today = date.today()
    created = []
    for i, (type_index, sector_index, template) in enumerate(SUMMARIES):
        issued = today - timedelta(days=9 * i + 2)
        prefix = TYPES[type_index][1]
        agency_index = 1 if type_index == 4 else (2 if i % 11 == 5 else 0)
        issuer = "HĐND" if agency_index == 1 else "UBND"
        number = f"{100 + 7 * (len(SUMMARIES) - i)}/{prefix}-{issuer}"
        if Document.objects.filter(number=number).exists():
            continue
        summary = template.format(y=issued.year, y0=issued.year - 1, y1=issued.year + 1, m=issued.month, **words)
        signer = SIGNERS[i % len(SIGNERS)]
        document = Document.objects.create(
            number=number,
            doc_type=types[type_index],
            agency=agencies[agency_index],
            sector=sectors[sector_index],
            issued_on=issued,
            # A few that start later, a few that have ended, to show every status.
            effective_from=issued + timedelta(days=30) if i % 9 == 0 else None,
            effective_until=issued + timedelta(days=60) if i % 7 == 6 else None,
            signer_name=signer[0],
            signer_title=(signer[1] if issuer == "UBND" else "Chủ tịch HĐND {kind}").format(**words),
            summary=summary,
        )
        pdf = tiny_pdf([f"{types[type_index].name} so {number}", summary, f"Ngay {issued:%d/%m/%Y}"])
        DocumentFile.objects.create(
            document=document,
            file=ContentFile(pdf, name=f"{prefix}-{i + 1}.pdf"),
            title=f"{types[type_index].name} {number}",
        )
        created.append(document)
    if len(created) > 3:
        # Chronological: a newer document already in force replaces the oldest, which ends the day it starts.
        newer, oldest = created[1], created[-1]
        newer.replaces.add(oldest)
        Document.objects.filter(pk=oldest.pk).update(effective_until=newer.effective_from or newer.issued_on)
        created[2].amends.add(created[-2])
    if created:
        log(f"Tạo {len(created)} văn bản mẫu")


def seed_unit(unit, log):
    """Two documents of the unit's People's Committee (portal.demo)."""
    agency = Agency.objects.get_or_create(name=f"UBND {unit.full_name}", defaults={"order": 10})[0]
    today = date.today()
    rows = [
        ("Quyết định", "Đất đai", f"Về việc phê duyệt kế hoạch sử dụng đất năm {today.year} của {unit.full_name}"),
        ("Kế hoạch", "Nội vụ", f"Kế hoạch cải cách hành chính năm {today.year} của UBND {unit.full_name}"),
    ]
    created = 0
    for i, (type_name, sector_name, summary) in enumerate(rows):
        prefix = dict(TYPES)[type_name]
        number = f"{20 + i}/{prefix}-UBND"
        if Document.objects.filter(number=number).exists():
            continue
        issued = today - timedelta(days=5 + 11 * i)
        document = Document.objects.create(
            number=number,
            doc_type=DocumentType.objects.get_or_create(name=type_name)[0],
            agency=agency,
            sector=Sector.objects.get_or_create(name=sector_name)[0],
            issued_on=issued,
            signer_name="Nguyễn Văn Hùng",
            signer_title=f"Chủ tịch UBND {unit.kind_lower}",
            summary=summary,
        )
        pdf = tiny_pdf([f"{type_name} so {number}", f"Ngay {issued:%d/%m/%Y}"])
        DocumentFile.objects.create(
            document=document, file=ContentFile(pdf, name=f"{prefix}-{i + 1}.pdf"), title=number
        )
        created += 1
    if created:
        log(f"{unit}: tạo {created} văn bản mẫu")
