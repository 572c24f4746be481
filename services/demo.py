"""Demo procedures and dossiers for the one-stop shop. Idempotent: found by name or code."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from portal.pdf import tiny_pdf

from .models import Dossier, Procedure, ProcedureForm, Sector, ServiceSettings

P = Procedure.Level
# (sector, name, code, level, time, fee, requirements, form title or "")
PROCEDURES = [
    (
        "Hộ tịch",
        "Đăng ký khai sinh",
        "1.001193",
        P.FULL,
        "Ngay trong ngày tiếp nhận",
        "Miễn lệ phí",
        "Tờ khai đăng ký khai sinh theo mẫu\nGiấy chứng sinh\nGiấy tờ tùy thân của người đi đăng ký",
        "Tờ khai đăng ký khai sinh",
    ),
    (
        "Hộ tịch",
        "Đăng ký kết hôn",
        "1.000894",
        P.PARTIAL,
        "Ngay trong ngày tiếp nhận",
        "Miễn lệ phí",
        "Tờ khai đăng ký kết hôn theo mẫu\nGiấy tờ tùy thân của hai bên nam, nữ",
        "Tờ khai đăng ký kết hôn",
    ),
    (
        "Hộ tịch",
        "Cấp bản sao trích lục hộ tịch",
        "2.000635",
        P.FULL,
        "Ngay trong ngày tiếp nhận",
        "8.000 đồng/bản",
        "Tờ khai cấp bản sao trích lục hộ tịch",
        "",
    ),
    (
        "Đất đai",
        "Đăng ký biến động quyền sử dụng đất do chuyển nhượng",
        "1.004227",
        P.PARTIAL,
        "10 ngày làm việc",
        "Theo Nghị quyết của HĐND tỉnh",
        "Đơn đăng ký biến động đất đai\nHợp đồng chuyển nhượng đã công chứng\nGiấy chứng nhận đã cấp",
        "Mẫu đơn đăng ký biến động đất đai",
    ),
    (
        "Đất đai",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
        "1.004203",
        P.PARTIAL,
        "07 ngày làm việc",
        "Theo Nghị quyết của HĐND tỉnh",
        "Đơn đề nghị cấp đổi Giấy chứng nhận\nBản gốc Giấy chứng nhận đã cấp",
        "",
    ),
    (
        "Xây dựng",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "1.009794",
        P.PARTIAL,
        "15 ngày",
        "75.000 đồng/giấy phép",
        "Đơn đề nghị cấp giấy phép xây dựng\nGiấy tờ chứng minh quyền sử dụng đất\n02 bộ bản vẽ thiết kế xây dựng",
        "Đơn đề nghị cấp giấy phép xây dựng",
    ),
    (
        "Kinh tế hộ",
        "Đăng ký thành lập hộ kinh doanh",
        "2.000720",
        P.FULL,
        "03 ngày làm việc",
        "100.000 đồng",
        "Giấy đề nghị đăng ký hộ kinh doanh\nBản sao giấy tờ pháp lý của chủ hộ",
        "Giấy đề nghị đăng ký hộ kinh doanh",
    ),
    (
        "Bảo trợ xã hội",
        "Trợ cấp xã hội hàng tháng cho người cao tuổi",
        "1.001776",
        P.INFO,
        "20 ngày làm việc",
        "Không",
        "Tờ khai đề nghị trợ giúp xã hội theo mẫu",
        "",
    ),
]

DOSSIERS = [
    # applicant's phone, procedure index, applicant, days ago received, steps
    ("0912345678", 0, "Nguyễn Văn An", 20, ["received", "processing", "done", "returned"]),
    ("0987654321", 3, "Trần Thị Bình", 12, ["received", "processing"]),
    ("0356789012", 5, "Phạm Minh Cường", 8, ["received", "supplement"]),
    ("0773456789", 6, "Lê Thị Hồng Nhung", 3, ["received"]),
]
# Time allowed per procedure index, matching its "processing_time": (days, working days only?).
DUE = {0: (0, False), 3: (10, True), 5: (15, False), 6: (3, True)}


def due_date(received, days, working):
    """The promised return date: `days` later, counting only Monday to Friday for working days."""
    day = received
    while days:
        day += timedelta(days=1)
        if not working or day.weekday() < 5:
            days -= 1
    return day


def seed(log):
    ServiceSettings.load()
    procedures = []
    for i, row in enumerate(PROCEDURES):
        name, form_title = row[1], row[7]
        procedure, created = _procedure(
            i,
            row,
            "Bước 1: Nộp hồ sơ tại Bộ phận một cửa hoặc trực tuyến.\n"
            "Bước 2: Cán bộ kiểm tra, tiếp nhận và hẹn trả kết quả.\nBước 3: Nhận kết quả.",
        )
        if created and form_title:
            pdf = tiny_pdf([form_title, "Kinh gui: UBND huyen Kim Son", "Ho va ten: ....................."])
            ProcedureForm.objects.create(procedure=procedure, title=form_title, file=ContentFile(pdf, name="mau.pdf"))
        if created:
            log(f"Tạo thủ tục mẫu: {name}")
        procedures.append(procedure)
    now = timezone.localtime()
    for phone, index, applicant, ago, steps in DOSSIERS:
        # Found by applicant and procedure: the receipt code is random.
        if Dossier.objects.filter(procedure=procedures[index], applicant_name=applicant).exists():
            continue
        received = (now - timedelta(days=ago)).replace(hour=8, minute=0, second=0, microsecond=0)
        while received.weekday() >= 5:  # the one-stop desk receives on working days
            received -= timedelta(days=1)
        days, working = DUE[index]
        dossier = Dossier.objects.create(
            procedure=procedures[index],
            applicant_name=applicant,
            applicant_phone=phone,
            received_on=received.date(),
            due_on=due_date(received.date(), days, working),
        )
        # Same-day procedures move hour by hour, the others every other day, all before the due date.
        step = timedelta(hours=2) if days == 0 else timedelta(days=2)
        for n, status in enumerate(steps):
            note = "Đề nghị bổ sung bản vẽ mặt bằng." if status == "supplement" else ""
            dossier.record(status, note, at=received + n * step + timedelta(minutes=15))
        log(f"Tạo hồ sơ mẫu {dossier.receipt_code} (tra cứu với 4 số cuối điện thoại: {phone[-4:]})")


def seed_unit(unit, log):
    """The first two procedures, as the unit's own (portal.demo)."""
    for i, row in enumerate(PROCEDURES[:2]):
        steps = f"Bước 1: Nộp hồ sơ tại Bộ phận một cửa UBND {unit.full_name} hoặc trực tuyến.\nBước 2: Nhận kết quả."
        _, created = _procedure(i, row, steps)
        if created:
            log(f"{unit}: tạo thủ tục mẫu {row[1]}")


def _procedure(order, row, steps):
    """(procedure, created) for a row of PROCEDURES in the unit being seeded."""
    sector_name, name, code, level, time, fee, requirements, _ = row
    sector, _ = Sector.objects.get_or_create(name=sector_name, defaults={"order": order})
    return Procedure.objects.get_or_create(
        name=name,
        defaults={
            "sector": sector,
            "code": code,
            "level": level,
            "processing_time": time,
            "fee": fee,
            "requirements": requirements,
            "steps": steps,
        },
    )
