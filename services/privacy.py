"""Applicants' personal data on dossiers (Nghị định 13/2023/NĐ-CP): retention, export and erasure.

`erase_expired` is found by `manage.py erase_expired_personal_data`, like `demo.seed` by seed_demo.
"""

from .models import Dossier

EXPORT_FIELDS = (
    ("receipt_code", "Mã biên nhận"),
    ("procedure", "Thủ tục"),
    ("applicant_name", "Người nộp"),
    ("applicant_phone", "Điện thoại người nộp"),
    ("received_on", "Ngày tiếp nhận"),
    ("due_on", "Ngày hẹn trả"),
    ("status", "Trạng thái"),
)


def erase_expired(before):
    """Erase the applicant's name and phone on dossiers closed before `before`; returns (label, how many)."""
    count = 0
    for dossier in Dossier.objects.closed_before(before).exclude(applicant_name="", applicant_phone=""):
        dossier.erase_personal_data()
        count += 1
    return "hồ sơ", count
