"""A new unit's introduction pages and contact details (`portal.creating.create_unit`), to be written."""

from .models import ContactDetails, Page

INTRO_PAGES = [
    # title, slug, opening sentence ({where}: "xã Kim Đông")
    ("Tổng quan", "tong-quan", "Giới thiệu chung về vị trí, diện tích, dân số và kinh tế - xã hội {where}."),
    ("Lịch sử hình thành", "lich-su", "Quá trình hình thành và phát triển {where}."),
    (
        "Cơ cấu tổ chức và chức năng",
        "co-cau-to-chuc",
        "Tổ chức bộ máy, chức năng và nhiệm vụ của HĐND, UBND và các cơ quan chuyên môn {where}.",
    ),
]


def setup_unit(unit):
    ContactDetails.load()
    for order, (title, slug, opening) in enumerate(INTRO_PAGES):
        body = f"<p>{opening.format(where=unit.full_name)}</p><p>Nội dung đang được cập nhật.</p>"
        Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body, "order": order})
