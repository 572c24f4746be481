"""Introduction pages, leaders and three weeks of work schedule. Idempotent."""

import io
from datetime import time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from portal import demo

from .models import KINDS_EN, ContactDetails, Leader, Page, ScheduleEntry

# The first unit's reference content, in the words of what the unit is now ({kind}: "xã"; the
# demo's Kim Sơn is a commune of the province, portal.demo); its history before the reform stays.
PAGES = [
    (
        "Tổng quan",
        "tong-quan",
        "<p>{Where} là {kind} ven biển ở phía Đông Nam tỉnh Ninh Bình, nơi vùng bãi ngang ven biển đang "
        "được quai đê lấn biển mở rộng hằng năm.</p>"
        "<p>Kinh tế của {kind} gắn với trồng lúa, cói, nuôi trồng thủy sản, tiểu thủ công nghiệp "
        "chế biến cói và du lịch văn hóa - tâm linh.</p>",
    ),
    (
        "Lịch sử hình thành",
        "lich-su",
        "<p>Vùng đất Kim Sơn được lập thành huyện năm 1829 dưới thời vua Minh Mạng, do Doanh điền sứ "
        "Nguyễn Công Trứ chiêu mộ dân nghèo khai hoang, lấn biển. Trải qua gần hai thế kỷ, các thế hệ "
        "người dân Kim Sơn đã không ngừng mở đất về phía biển. Từ năm 2025, khi chính quyền địa phương "
        "tổ chức theo hai cấp, Kim Sơn là {kind} của tỉnh Ninh Bình.</p>",
    ),
    (
        "Cơ cấu tổ chức và chức năng",
        "co-cau-to-chuc",
        "<p>UBND {kind} là cơ quan hành chính nhà nước ở địa phương, chịu trách nhiệm trước HĐND {kind} và "
        "UBND tỉnh. Giúp việc UBND {kind} có:</p>"
        "<ul><li>Văn phòng HĐND và UBND</li><li>Phòng Kinh tế</li><li>Phòng Văn hóa - Xã hội</li>"
        "<li>Trung tâm Phục vụ hành chính công</li></ul>",
    ),
]

LEADERS = [
    # name, title, English title, phone ({kind}: "xã", {kind_en}: "Commune")
    ("Trần Văn Quang", "Chủ tịch UBND {kind}", "Chairman of the {kind_en} People's Committee", "0229 3862 100"),
    ("Phạm Thị Hạnh", "Phó Chủ tịch UBND {kind}", "Vice Chairwoman", "0229 3862 101"),
    ("Nguyễn Đức Thịnh", "Phó Chủ tịch UBND {kind}", "Vice Chairman", "0229 3862 102"),
]

# (weekday, hour, content, host, attendees, place)
WEEK = [
    (
        0,
        7,
        "Giao ban lãnh đạo UBND {kind}",
        "Đ/c Chủ tịch UBND {kind}",
        "Các Phó Chủ tịch, Chánh Văn phòng",
        "Phòng họp số 1",
    ),
    (
        1,
        8,
        "Kiểm tra tiến độ đê lấn biển Bình Minh IV",
        "Đ/c Phó Chủ tịch Nguyễn Đức Thịnh",
        "Phòng Kinh tế, các thôn ven đê",
        "Đê Bình Minh IV",
    ),
    (
        2,
        14,
        "Tiếp công dân định kỳ",
        "Đ/c Chủ tịch UBND {kind}",
        "Văn phòng HĐND và UBND, công chức tiếp công dân",
        "Trụ sở Tiếp công dân",
    ),
    (
        3,
        8,
        "Hội nghị triển khai kế hoạch chuyển đổi số",
        "Đ/c Phó Chủ tịch Phạm Thị Hạnh",
        "Các phòng, ban; trưởng thôn",
        "Hội trường UBND {kind}",
    ),
    (
        4,
        15,
        "Họp Ban Chỉ đạo phòng, chống thiên tai",
        "Đ/c Chủ tịch UBND {kind}",
        "Thành viên Ban Chỉ đạo",
        "Phòng họp số 2",
    ),
]

ABOUT_EN = (
    "Kim Son is a coastal {kind_en_lower} in the south-east of Ninh Binh Province, a leading area of sea "
    "encroachment and rice and sedge farming."
)


# Soft backgrounds, one per leader, and a darker tone of each for the silhouette.
PORTRAIT_TONES = [
    ((226, 234, 243), (134, 156, 184)),
    ((232, 238, 228), (140, 162, 134)),
    ((240, 233, 226), (170, 146, 128)),
]


def _portrait(order):
    """A neutral placeholder: head and shoulders silhouette on a soft background, 320 × 400."""
    background, figure = PORTRAIT_TONES[order % len(PORTRAIT_TONES)]
    image = Image.new("RGB", (320, 400), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 260, 280, 520), fill=figure)  # shoulders, cut by the bottom edge
    draw.rectangle((135, 215, 185, 280), fill=figure)  # neck
    draw.ellipse((95, 90, 225, 240), fill=figure)  # head
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return ContentFile(buffer.getvalue(), name="lanh-dao.jpg")


def seed(log):
    unit = demo.serving()
    kind_en = KINDS_EN.get(unit.kind, "")
    words = {
        "kind": unit.kind_lower,
        "Where": f"{unit.get_kind_display()} {unit.name}",
        "kind_en": kind_en,
        "kind_en_lower": kind_en.lower(),
    }
    contact = ContactDetails.load()
    values = ContactDetails.initial_values(unit)
    demo.reword(
        contact,
        {
            "organisation_en": values["organisation_en"],
            "address_en": values["address_en"],
            "about_en": ABOUT_EN.format(**words),
        },
        log,
    )
    for order, (title, slug, body) in enumerate(PAGES):
        body = body.format(**words)
        _, created = Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body, "order": order})
        if created:
            log(f"Tạo trang giới thiệu: {title}")
    for order, (name, title, title_en, phone) in enumerate(LEADERS):
        if Leader.objects.filter(name=name).exists():
            continue
        Leader.objects.create(
            name=name,
            title=title.format(**words),
            title_en=title_en.format(**words),
            phone=phone,
            email=f"lanhdao{order + 1}@kimson.ninhbinh.gov.vn",
            order=order,
            photo=_portrait(order),
        )
        log(f"Tạo lãnh đạo: {name}")
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    for week in (-1, 0, 1):
        monday = this_monday + timedelta(weeks=week)
        if ScheduleEntry.objects.filter(day__range=(monday, monday + timedelta(days=6))).exists():
            continue
        for weekday, hour, content, host, attendees, place in WEEK:
            ScheduleEntry.objects.create(
                day=monday + timedelta(days=weekday),
                time=time(hour, 30 if hour == 7 else 0),
                content=content.format(**words),
                host=host.format(**words),
                attendees=attendees,
                place=place.format(**words),
            )
        log(f"Tạo lịch công tác tuần {monday:%d/%m/%Y}")


# The other demo units' overview (portal.demo): the intro pages create_unit made, written.
OVERVIEWS = {
    "ninh-binh": "Ninh Bình là tỉnh ở phía Nam đồng bằng sông Hồng; từ năm 2025, tỉnh mới gồm địa giới của ba tỉnh "
    "Ninh Bình, Hà Nam và Nam Định, với chính quyền địa phương hai cấp: tỉnh và xã, phường.",
    "kim-dong": "Xã Kim Đông là xã ven biển của tỉnh Ninh Bình, gắn với vùng bãi bồi, nghề nuôi trồng thủy sản "
    "và công cuộc quai đê lấn biển.",
    "phat-diem": "Xã Phát Diệm của tỉnh Ninh Bình có quần thể Nhà thờ đá Phát Diệm và làng nghề cói truyền thống.",
}


def seed_unit(unit, log):
    overview = OVERVIEWS.get(unit.code)
    page = Page.objects.filter(slug="tong-quan").first()
    if overview and page is not None and "đang được cập nhật" in page.body:
        page.body = f"<p>{overview}</p>"
        page.save()
        log(f"{unit}: viết trang Tổng quan")
