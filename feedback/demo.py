"""A few answered and published feedback items so the Hỏi đáp page has content."""

from datetime import timedelta

from django.utils import timezone

from portal import demo

from .models import Feedback

ITEMS = [
    (
        "Nguyễn Văn An",
        "Đề nghị sửa chữa đoạn đường liên xóm bị xuống cấp",
        "Đoạn đường liên xóm 5 - xóm 6 xã Kim Định có nhiều ổ gà, đi lại khó khăn vào mùa mưa.",
        "UBND xã Kim Định đã đưa đoạn đường vào kế hoạch duy tu năm nay; dự kiến thi công trong quý IV.",
    ),
    (
        "Trần Thị Bình",
        "Hỏi về thủ tục đăng ký khai sinh cho con",
        "Tôi muốn biết cần những giấy tờ gì để đăng ký khai sinh cho con tại xã.",
        "Công dân nộp tờ khai theo mẫu, giấy chứng sinh và giấy tờ tùy thân; có thể nộp trực tuyến trên Cổng dịch vụ công.",
    ),
    (
        "Phạm Minh Cường",
        "Kiến nghị lắp đèn chiếu sáng tại ngã ba chợ Lưu Phương",
        "Khu vực ngã ba chợ buổi tối rất tối, dễ xảy ra tai nạn giao thông.",
        "Phòng Kinh tế và Hạ tầng đã phối hợp với xã Lưu Phương lắp đặt 4 cột đèn chiếu sáng.",
    ),
]


def seed(log):
    now = timezone.now()
    for n, (name, title, content, answer) in enumerate(ITEMS):
        if Feedback.objects.filter(title=title).exists():
            continue
        item = Feedback.objects.create(
            name=name,
            address=f"{demo.serving().get_kind_display()} {demo.serving().name}, tỉnh Ninh Bình",
            phone="0912345678",
            title=title,
            content=content,
            public_title=title,
            public_content=content,
            answer=answer,
            status=Feedback.Status.PUBLISHED,
        )
        # Sent some weeks ago, answered a few days later.
        sent = now - timedelta(days=40 - 12 * n, hours=3)
        Feedback.objects.filter(pk=item.pk).update(created_at=sent, answered_at=sent + timedelta(days=4 + n))
        log(f"Tạo góp ý mẫu: {title}")


def seed_unit(unit, log):
    """One answered question from a resident of the unit (portal.demo)."""
    title = f"Hỏi về lịch thu gom rác thải tại {unit.full_name}"
    if Feedback.objects.filter(title=title).exists():
        return
    item = Feedback.objects.create(
        name="Lê Thị Hoa",
        address=unit.full_name[:1].upper() + unit.full_name[1:],
        phone="0912000111",
        title=title,
        content="Xin hỏi lịch thu gom rác thải sinh hoạt trong tuần.",
        public_title=title,
        public_content="Xin hỏi lịch thu gom rác thải sinh hoạt trong tuần.",
        answer="Rác thải sinh hoạt được thu gom vào sáng thứ hai, thứ tư và thứ sáu hằng tuần.",
        status=Feedback.Status.PUBLISHED,
    )
    sent = timezone.now() - timedelta(days=20)
    Feedback.objects.filter(pk=item.pk).update(created_at=sent, answered_at=sent + timedelta(days=5))
    log(f"{unit}: tạo góp ý mẫu")
