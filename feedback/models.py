import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from portal import units
from portal.files import KINDS, sniff
from portal.models import UnitOwned
from portal.storage import PrivateStorage

from .validators import validate_attachment


def attachment_extension(upload):
    """The extension of the type read from the bytes (".pdf", ".png"...), never the one the citizen's file had."""
    kind = sniff(upload)
    return KINDS[kind][1] if kind else ".bin"


def attachment_path(instance, filename):
    # A random name: citizens' files must not be guessable from their number or title,
    # nor stored as "….html" because the browser said so.
    return timezone.now().strftime("feedback/%Y/%m/") + uuid.uuid4().hex + attachment_extension(instance.attachment)


class TrackingCounter(models.Model):
    """The last tracking number given out in a year; one row per year."""

    page_cache_ignored = True

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "Bộ đếm mã góp ý"
        verbose_name_plural = "Bộ đếm mã góp ý"

    def __str__(self):
        return f"{self.year}: {self.last}"

    @classmethod
    def next_code(cls, year):
        """ "GY-2026-00042": the row update is atomic in the database, so two requests never share a number."""
        with transaction.atomic():
            cls.objects.get_or_create(year=year)  # retries the read if another request inserted first
            cls.objects.filter(year=year).update(last=F("last") + 1)
            number = cls.objects.filter(year=year).values_list("last", flat=True).get()
        return f"GY-{year}-{number:05d}"


class FeedbackQuerySet(models.QuerySet):
    def published(self):
        """The public Hỏi đáp: answered items staff chose to publish."""
        return self.filter(status=Feedback.Status.PUBLISHED)

    def closed_before(self, moment):
        """Items whose matter closed (answered, published or rejected) before `moment`."""
        return self.filter(status__in=Feedback.CLOSED, closed_at__lt=moment)


class Feedback(UnitOwned):
    class Status(models.TextChoices):
        NEW = "new", "Mới"
        PROCESSING = "processing", "Đang xử lý"
        ANSWERED = "answered", "Đã trả lời"
        PUBLISHED = "published", "Công khai"
        REJECTED = "rejected", "Từ chối"

    # Which status may follow which; staff cannot skip answering before publishing.
    TRANSITIONS = {
        Status.NEW: {Status.PROCESSING, Status.REJECTED},
        Status.PROCESSING: {Status.ANSWERED, Status.REJECTED},
        Status.ANSWERED: {Status.PUBLISHED, Status.PROCESSING},
        Status.PUBLISHED: {Status.ANSWERED},
        Status.REJECTED: {Status.PROCESSING},
    }
    # The matter is over: the retention period of the sender's contact data runs from here.
    CLOSED = (Status.ANSWERED, Status.PUBLISHED, Status.REJECTED)
    ERASED = "[Đã xoá dữ liệu cá nhân]"

    code = models.CharField("Mã theo dõi", max_length=20, unique=True, editable=False)
    name = models.CharField("Họ và tên", max_length=120)
    address = models.CharField("Địa chỉ", max_length=250)
    phone = models.CharField("Điện thoại", max_length=20, help_text="Lưu dạng chuẩn, ví dụ 0912345678.")
    email = models.EmailField("Thư điện tử", blank=True)
    title = models.CharField("Tiêu đề", max_length=200)
    content = models.TextField("Nội dung", max_length=5000)
    attachment = models.FileField(
        "Tệp đính kèm",
        upload_to=attachment_path,
        storage=PrivateStorage(),
        blank=True,
        validators=[validate_attachment],
    )
    # What the sender agreed to, as shown to them: the notice's version and the checkbox text.
    consent_at = models.DateTimeField("Thời điểm đồng ý xử lý dữ liệu cá nhân", null=True, editable=False)
    consent_version = models.CharField("Phiên bản thông báo đã đồng ý", max_length=20, blank=True, editable=False)
    consent_text = models.TextField("Nội dung đã đồng ý", blank=True, editable=False)
    # The nonce of the shown form this came from: unique, so one form sends one feedback.
    form_nonce = models.CharField(max_length=32, unique=True, null=True, editable=False)
    status = models.CharField("Trạng thái", max_length=12, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người xử lý",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_feedback",
        limit_choices_to={"is_staff": True},
    )
    internal_note = models.TextField("Ghi chú nội bộ", blank=True, help_text="Chỉ cán bộ xem được.")
    answer = models.TextField("Nội dung trả lời", blank=True)
    # What Hỏi đáp shows, written by staff; title/content stay as the citizen sent them.
    public_title = models.CharField(
        "Tiêu đề công khai", max_length=200, blank=True, help_text="Cán bộ viết; hiển thị trong Hỏi đáp."
    )
    public_content = models.TextField(
        "Nội dung công khai",
        max_length=5000,
        blank=True,
        help_text="Cán bộ viết lại câu hỏi, không kèm thông tin cá nhân (họ tên, số điện thoại, địa chỉ...).",
    )
    answered_at = models.DateTimeField("Ngày trả lời", null=True, blank=True, editable=False)
    closed_at = models.DateTimeField("Ngày kết thúc xử lý", null=True, blank=True, editable=False)
    personal_data_erased_at = models.DateTimeField("Đã xoá dữ liệu cá nhân lúc", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("Ngày gửi", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    objects, every_unit = units.managers(FeedbackQuerySet)

    class Meta:
        ordering = ("-created_at", "-id")
        get_latest_by = "created_at"
        verbose_name = "Góp ý"
        verbose_name_plural = "Góp ý của nhân dân"
        indexes = [models.Index(fields=["unit", "status", "-answered_at"], name="feedback_unit_status_idx")]

    def __str__(self):
        return f"{self.code} — {self.title}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def shown_on_cached_pages(self):
        """Only published Q&A appear on public pages: a new submission or staff work changes none."""
        published = self.Status.PUBLISHED
        return self.status == published or getattr(self, "_loaded_status", None) == published

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = TrackingCounter.next_code(timezone.localdate().year)
        if self.answer and self.status in (self.Status.ANSWERED, self.Status.PUBLISHED) and not self.answered_at:
            self.answered_at = timezone.now()
        if self.status in self.CLOSED:
            self.closed_at = self.closed_at or timezone.now()
        else:
            self.closed_at = None  # reopened: the retention period starts again when it closes
        super().save(*args, **kwargs)

    def erase_personal_data(self):
        """Remove who sent it, their own words and the staff note; keep the code, the public question and the answer."""
        if self.attachment:
            self.attachment.delete(save=False)
        self.attachment = ""
        self.name = self.address = self.phone = self.email = self.internal_note = ""
        self.title = self.public_title or self.ERASED
        self.content = self.public_content or self.ERASED
        self.personal_data_erased_at = timezone.now()
        self.save()


class FeedbackLog(models.Model):
    """Who changed what on a feedback item, and when; written by the admin, never edited."""

    page_cache_ignored = True  # staff notes: no public page shows them

    feedback = models.ForeignKey(Feedback, verbose_name="Góp ý", on_delete=models.CASCADE, related_name="logs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Người thay đổi", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("Thời điểm", default=timezone.now)
    changes = models.TextField("Nội dung thay đổi")

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = "Nhật ký xử lý"
        verbose_name_plural = "Nhật ký xử lý"

    def __str__(self):
        return f"{self.feedback.code} · {timezone.localtime(self.at):%d/%m/%Y %H:%M}"
