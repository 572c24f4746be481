"""E-mails of the newsroom: approvers hear of submitted articles, writers of returned and published ones.

Mail goes out after the transaction commits, so a rolled-back save sends nothing, and a failing
mail server never undoes a save (the failure is logged).
"""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from portal import staff
from portal.text import person_name

from .workflow import PUBLISH_PERMISSION, at

logger = logging.getLogger(__name__)


def approvers(unit_id):
    """The unit's staff who may publish, through their groups in the unit (superusers only by those)."""
    return staff.users_with_perm(PUBLISH_PERMISSION, unit_id).exclude(email="")


def writers(article):
    """Who wrote or submitted the article."""
    ids = {article.created_by_id, *article.transitions.filter(action="submit").values_list("user_id", flat=True)}
    return get_user_model().objects.filter(pk__in=ids - {None}, is_active=True).exclude(email="")


def _send(subject, body, recipients):
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # noqa: BLE001 - any mail failure is logged; the article is already saved
        logger.exception("Không gửi được thư về bài viết: %s", subject)


def after_transition(request, step):
    """Queue the e-mail a workflow step calls for; returns how many people it goes to."""
    article = step.article
    link = request.build_absolute_uri(reverse("admin:news_article_change", args=[article.pk]))
    by = (person_name(step.user) or step.user.get_username()) if step.user else "Hệ thống"
    comment = f"\nGóp ý: {step.comment}\n" if step.comment else ""
    if step.action == "submit":
        people = approvers(article.unit_id)
        subject = f"[Chờ duyệt] {article.title}"
        body = f"{by} đã gửi duyệt bài “{article.title}”.\n{comment}\nDuyệt bài tại: {link}\n"
    else:
        people = writers(article)
        what = {
            "return": "đã trả lại bài, cần sửa",
            "publish": f"đã xuất bản bài lúc {at(article.publish_at)}",
            "schedule": f"đã hẹn giờ đăng bài lúc {at(article.publish_at)}",
            "unpublish": "đã gỡ bài khỏi trang",
        }[step.action]
        subject = f"[{step.get_action_display()}] {article.title}"
        body = f"{by} {what}: “{article.title}”.\n{comment}\nXem bài tại: {link}\n"
    recipients = sorted({user.email for user in people if user != step.user})
    if recipients:
        subject = " ".join(subject.split())
        transaction.on_commit(lambda: _send(subject, body, recipients))
    return len(recipients)
