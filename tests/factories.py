"""Tiny helpers that make test objects; every test module shares them."""

import io
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import Article, Category
from portal.visitors import signed


def make_category(name="Quốc phòng - An ninh", parent=None, order=0):
    return Category.objects.create(name=name, parent=parent, order=order)


def make_article(title="Sơ kết hoạt động cụm số 1", category=None, days=0, status=Article.Status.PUBLISHED, **fields):
    """An article published `days` ago (negative: scheduled in the future)."""
    fields.setdefault("sapo", "Tóm tắt bài viết.")
    fields.setdefault("body", "<p>Nội dung bài viết.</p>")
    return Article.objects.create(
        title=title,
        category=category or Category.objects.first() or make_category(),
        status=status,
        publish_at=timezone.now() - timedelta(days=days),
        **fields,
    )


def image_upload(name="anh.jpg", size=(1600, 1000), fmt="JPEG", color=(30, 120, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def make_staff(username, group=None, superuser=False, unit=None):
    """A staff account working in `unit` (the first unit by default) in `group` (a name or several)."""
    from portal.models import UnitMembership

    user = get_user_model().objects.create_user(
        username, password="pw-" + username, is_staff=True, is_superuser=superuser
    )
    if not superuser or group:
        names = [] if not group else [group] if isinstance(group, str) else list(group)
        membership = UnitMembership.objects.create(user=user, unit=unit or first_unit())
        membership.groups.set(Group.objects.filter(name__in=names))
    return user


def pdf_upload(name="van-ban.pdf", lines=("Van ban mau",)):
    from portal.pdf import tiny_pdf

    return SimpleUploadedFile(name, tiny_pdf(lines), content_type="application/pdf")


def text_upload(name="gia-mao.pdf"):
    """A plain text file wearing a PDF or image name: must be refused by content."""
    return SimpleUploadedFile(name, b"Day khong phai tep PDF.\n", content_type="application/pdf")


def make_document(number="125/QĐ-UBND", summary="Về việc phê duyệt kế hoạch sử dụng đất", days=10, **fields):
    """A published document issued `days` ago; type, agency and field made on demand."""
    from documents.models import Agency, Document, DocumentType, Sector

    fields.setdefault("doc_type", DocumentType.objects.get_or_create(name="Quyết định")[0])
    fields.setdefault("agency", Agency.objects.get_or_create(name="UBND huyện Kim Sơn")[0])
    fields.setdefault("sector", Sector.objects.get_or_create(name="Đất đai")[0])
    fields.setdefault("signer_name", "Trần Văn Quang")
    fields.setdefault("signer_title", "Chủ tịch UBND huyện")
    return Document.objects.create(
        number=number, summary=summary, issued_on=timezone.localdate() - timedelta(days=days), **fields
    )


def freeze_now(monkeypatch, when):
    """Make django.utils.timezone.now() return `when` (an aware datetime) for this test."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: when)
    return when


def make_poll(question="Bạn quan tâm mục gì nhất?", choices=("Tin tức", "Văn bản", "Thủ tục"), days=1, **fields):
    """An active poll opened `days` ago (negative: opens in the future) with ordered choices."""
    from polls.models import Poll

    fields.setdefault("opens_at", timezone.now() - timedelta(days=days))
    poll = Poll.objects.create(question=question, **fields)
    for order, text in enumerate(choices, start=1):
        poll.choices.create(text=text, order=order)
    return poll


def make_procedure(name="Đăng ký khai sinh", sector="Hộ tịch", **fields):
    """A published administrative procedure in the given field (lĩnh vực)."""
    from services.models import Procedure, Sector

    fields.setdefault("processing_time", "Ngay trong ngày")
    fields.setdefault("fee", "Miễn lệ phí")
    fields.setdefault("requirements", "Tờ khai đăng ký khai sinh\nGiấy chứng sinh")
    return Procedure.objects.create(name=name, sector=Sector.objects.get_or_create(name=sector)[0], **fields)


def visitor_cookie(visitor_id=None, key=None):
    """The `kv` cookie of a visitor the portal issued (signed with SECRET_KEY, or a server's `key`)."""
    return signed(visitor_id or uuid.uuid4().hex, key=key)


def make_unit(name, host, kind="xa", parent=None, code=None):
    """A unit answering on `host`, e.g. make_unit("Kim Đông", "kimdong.localhost")."""
    from portal.models import Unit, UnitHost
    from portal.text import slugify_vi

    unit = Unit.objects.create(name=name, kind=kind, parent=parent, code=code or slugify_vi(name))
    UnitHost.objects.create(unit=unit, name=host, is_main=True)
    return unit


def first_unit():
    from portal.models import Unit

    return Unit.objects.order_by("pk").first()
