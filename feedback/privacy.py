"""Citizens' personal data in feedback (Nghị định 13/2023/NĐ-CP): consent, retention, export and erasure.

`erase_expired` is found by `manage.py erase_expired_personal_data`, like `demo.seed` by seed_demo.
"""

from .models import Feedback

# Raise the version whenever the notice (templates/feedback/privacy.html) or the consent text changes:
# each feedback keeps the version and the exact text its sender agreed to.
POLICY_VERSION = "2026-12"
CONSENT_TEXT = (
    "Tôi đồng ý để cơ quan tiếp nhận xử lý dữ liệu cá nhân của tôi nhằm giải quyết góp ý này, "
    f"theo Thông báo xử lý dữ liệu cá nhân (phiên bản {POLICY_VERSION}) tôi đã đọc."
)

EXPORT_FIELDS = (
    ("code", "Mã theo dõi"),
    ("created_at", "Ngày gửi"),
    ("name", "Họ và tên"),
    ("address", "Địa chỉ"),
    ("phone", "Điện thoại"),
    ("email", "Thư điện tử"),
    ("title", "Tiêu đề"),
    ("content", "Nội dung"),
    ("attachment", "Tệp đính kèm"),
    ("status", "Trạng thái"),
    ("answer", "Nội dung trả lời"),
    ("consent_at", "Thời điểm đồng ý"),
    ("consent_version", "Phiên bản thông báo"),
    ("consent_text", "Nội dung đã đồng ý"),
    ("personal_data_erased_at", "Đã xoá dữ liệu cá nhân lúc"),
)


def erase_expired(before):
    """Erase the contact data of feedback closed before `before`; returns (label, how many)."""
    count = 0
    for item in Feedback.objects.closed_before(before).filter(personal_data_erased_at=None):
        item.erase_personal_data()
        count += 1
    return "góp ý", count
