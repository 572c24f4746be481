"""Introduction pages, leaders and three weeks of work schedule. Idempotent."""

import io
from datetime import time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from .models import ContactDetails, Leader, Page, ScheduleEntry

PAGES = [
    (
        "Tổng quan",
        "tong-quan",
        "<p>Kim Sơn là huyện ven biển nằm ở phía Đông Nam tỉnh Ninh Bình, có diện tích tự nhiên khoảng "
        "217 km² và dân số gần 180 nghìn người. Huyện có 2 thị trấn Phát Diệm, Bình Minh và các xã, "
        "trong đó vùng bãi ngang ven biển đang được quai đê lấn biển mở rộng hằng năm.</p>"
        "<p>Kinh tế của huyện gắn với trồng lúa, cói, nuôi trồng thủy sản, tiểu thủ công nghiệp "
        "chế biến cói và du lịch văn hóa - tâm linh với quần thể Nhà thờ đá Phát Diệm.</p>",
    ),
    (
        "Lịch sử hình thành",
        "lich-su",
        "<p>Huyện Kim Sơn được thành lập năm 1829 dưới thời vua Minh Mạng, do Doanh điền sứ Nguyễn Công Trứ "
        "chiêu mộ dân nghèo khai hoang, lấn biển. Trải qua gần hai thế kỷ, các thế hệ người dân Kim Sơn "
        "đã không ngừng mở đất về phía biển.</p>",
    ),
    (
        "Cơ cấu tổ chức và chức năng",
        "co-cau-to-chuc",
        "<p>UBND huyện là cơ quan hành chính nhà nước ở địa phương, chịu trách nhiệm trước HĐND huyện và "
        "UBND tỉnh. Giúp việc UBND huyện có các phòng chuyên môn:</p>"
        "<ul><li>Văn phòng HĐND và UBND huyện</li><li>Phòng Nội vụ</li><li>Phòng Tài chính - Kế hoạch</li>"
        "<li>Phòng Tài nguyên và Môi trường</li><li>Phòng Kinh tế và Hạ tầng</li>"
        "<li>Phòng Nông nghiệp và Phát triển nông thôn</li><li>Phòng Giáo dục và Đào tạo</li>"
        "<li>Phòng Văn hóa và Thông tin</li><li>Phòng Lao động - Thương binh và Xã hội</li>"
        "<li>Phòng Tư pháp</li><li>Thanh tra huyện</li><li>Phòng Y tế</li></ul>",
    ),
]

LEADERS = [
    ("Trần Văn Quang", "Chủ tịch UBND huyện", "Chairman of the District People's Committee", "0229 3862 100"),
    ("Phạm Thị Hạnh", "Phó Chủ tịch UBND huyện", "Vice Chairwoman", "0229 3862 101"),
    ("Nguyễn Đức Thịnh", "Phó Chủ tịch UBND huyện", "Vice Chairman", "0229 3862 102"),
]

# (weekday, hour, content, host, attendees, place)
WEEK = [
    (
        0,
        7,
        "Giao ban lãnh đạo UBND huyện",
        "Đ/c Chủ tịch UBND huyện",
        "Các Phó Chủ tịch, Chánh Văn phòng",
        "Phòng họp số 1",
    ),
    (
        1,
        8,
        "Kiểm tra tiến độ đê lấn biển Bình Minh IV",
        "Đ/c Phó Chủ tịch Nguyễn Đức Thịnh",
        "Phòng NN&PTNT, xã Kim Đông",
        "Xã Kim Đông",
    ),
    (
        2,
        14,
        "Tiếp công dân định kỳ",
        "Đ/c Chủ tịch UBND huyện",
        "Thanh tra huyện, Ban Tiếp công dân",
        "Trụ sở Tiếp công dân",
    ),
    (
        3,
        8,
        "Hội nghị triển khai kế hoạch chuyển đổi số",
        "Đ/c Phó Chủ tịch Phạm Thị Hạnh",
        "Các phòng, ban; UBND các xã",
        "Hội trường UBND huyện",
    ),
    (
        4,
        15,
        "Họp Ban Chỉ đạo phòng, chống thiên tai",
        "Đ/c Chủ tịch UBND huyện",
        "Thành viên Ban Chỉ đạo",
        "Phòng họp số 2",
    ),
]


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
    ContactDetails.load()
    for order, (title, slug, body) in enumerate(PAGES):
        _, created = Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body, "order": order})
        if created:
            log(f"Tạo trang giới thiệu: {title}")
    for order, (name, title, title_en, phone) in enumerate(LEADERS):
        if Leader.objects.filter(name=name).exists():
            continue
        Leader.objects.create(
            name=name,
            title=title,
            title_en=title_en,
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
                content=content,
                host=host,
                attendees=attendees,
                place=place,
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
