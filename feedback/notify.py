"""E-mails about feedback. A failing mail server never loses a saved feedback item."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from portal.models import SiteSettings

logger = logging.getLogger(__name__)


def staff_recipients():
    return list(settings.FEEDBACK_NOTIFY_EMAILS) or [SiteSettings.load().email]


def _send(subject, body, recipients):
    subject = " ".join(subject.split())  # a line break in a citizen's title must not break the header
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # noqa: BLE001 - any mail failure is logged; the feedback is already saved
        logger.exception("Không gửi được thư về góp ý: %s", subject)
        return False
    return True


def new_feedback(request, feedback):
    """Tell staff, and the citizen if an e-mail was given; True when every message went out."""
    admin_url = request.build_absolute_uri(reverse("admin:feedback_feedback_change", args=[feedback.pk]))
    sent = _send(
        f"[Góp ý mới] {feedback.code}: {feedback.title}",
        f"Có góp ý mới {feedback.code}.\n\nTiêu đề: {feedback.title}\n\nXử lý tại: {admin_url}\n",
        staff_recipients(),
    )
    if feedback.email:
        lookup_url = request.build_absolute_uri(reverse("feedback:lookup"))
        sent = (
            _send(
                f"Đã nhận góp ý của bạn — mã {feedback.code}",
                f"Kính gửi {feedback.name},\n\n"
                f'Chúng tôi đã nhận góp ý "{feedback.title}".\n'
                f"Mã theo dõi của bạn: {feedback.code}\n\n"
                f"Tra cứu kết quả tại {lookup_url} bằng mã này và số điện thoại hoặc thư điện tử đã khai.\n",
                [feedback.email],
            )
            and sent
        )
    return sent


def answered(request, feedback):
    """Tell the citizen their feedback has an answer; True when the mail went out."""
    lookup_url = request.build_absolute_uri(reverse("feedback:lookup"))
    return _send(
        f"Góp ý {feedback.code} đã có trả lời",
        f"Kính gửi {feedback.name},\n\n"
        f'Góp ý "{feedback.title}" của bạn đã được trả lời.\n'
        f"Mã theo dõi: {feedback.code}\n\n"
        f"Xem nội dung trả lời tại {lookup_url} bằng mã này và số điện thoại hoặc thư điện tử đã khai.\n",
        [feedback.email],
    )
