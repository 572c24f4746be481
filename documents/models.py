import posixpath

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from portal import fragments, units
from portal.files import KINDS, content_type_for, sniff, validate_upload
from portal.filetext import FileText
from portal.models import UnitOwned
from portal.text import slugify_vi, strip_diacritics

DOCUMENT_KINDS = ["pdf", "doc", "docx", "xls", "xlsx"]


def validate_document_file(upload):
    validate_upload(upload, DOCUMENT_KINDS, settings.DOCUMENT_FILE_MAX_BYTES)


def search_key(text):
    """Lower-case text without diacritics, so "quyet dinh" finds "Quyết định"."""
    return strip_diacritics(text).lower()


class Lookup(models.Model):
    """An editable list of names (types, agencies, fields) used by the filters."""

    name = models.CharField("Tên", max_length=150, unique=True)
    order = models.PositiveSmallIntegerField("Thứ tự", default=0, help_text="Số nhỏ đứng trước.")

    class Meta:
        abstract = True
        ordering = ("order", "name")

    def __str__(self):
        return self.name


class DocumentType(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "Loại văn bản"
        verbose_name_plural = "Loại văn bản"


class Agency(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "Cơ quan ban hành"
        verbose_name_plural = "Cơ quan ban hành"


class Sector(Lookup):
    class Meta(Lookup.Meta):
        verbose_name = "Lĩnh vực"
        verbose_name_plural = "Lĩnh vực"


class DocumentQuerySet(models.QuerySet):
    def published(self):
        """The one publish rule: marked public and its publish time already past."""
        return self.filter(is_published=True, publish_at__lte=timezone.now())

    def next_publish_at(self):
        """When the next scheduled document goes public (None if none is waiting): cached pages end there."""
        return (
            self.filter(is_published=True, publish_at__gt=timezone.now())
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )

    def for_listing(self):
        return self.only(
            "pk", "number", "issued_on", "summary", "effective_from", "effective_until", "publish_at"
        ).order_by("-issued_on", "-id")

    def with_status(self, status, day=None):
        """Documents whose derived Tình trạng on `day` (today by default) is `status`."""
        day = day or timezone.localdate()
        expired = models.Q(effective_until__lte=day)
        pending = models.Q(effective_from__gt=day) | models.Q(effective_from__isnull=True, issued_on__gt=day)
        if status == Document.Status.EXPIRED:
            return self.filter(expired)
        if status == Document.Status.PENDING:
            return self.filter(pending).exclude(expired)
        return self.exclude(expired).exclude(pending)

    def search(self, text):
        """Words of `text` anywhere in the type, number or summary, accents and case ignored."""
        for word in search_key(text).split():
            self = self.filter(search_text__contains=word)
        return self


class Document(UnitOwned):
    class Status(models.TextChoices):
        ACTIVE = "active", "Còn hiệu lực"
        EXPIRED = "expired", "Hết hiệu lực"
        PENDING = "pending", "Chưa có hiệu lực"

    number = models.CharField("Số/Ký hiệu", max_length=60, help_text="Ví dụ: 125/QĐ-UBND")
    doc_type = models.ForeignKey(DocumentType, verbose_name="Loại văn bản", on_delete=models.PROTECT)
    agency = models.ForeignKey(Agency, verbose_name="Cơ quan ban hành", on_delete=models.PROTECT)
    sector = models.ForeignKey(Sector, verbose_name="Lĩnh vực", on_delete=models.PROTECT)
    issued_on = models.DateField("Ngày ban hành")
    effective_from = models.DateField(
        "Ngày hiệu lực", null=True, blank=True, help_text="Để trống nếu có hiệu lực từ ngày ban hành."
    )
    effective_until = models.DateField(
        "Ngày hết hiệu lực",
        null=True,
        blank=True,
        help_text="Ngày văn bản thôi có hiệu lực; để trống nếu chưa xác định.",
    )
    signer_name = models.CharField("Người ký", max_length=120)
    signer_title = models.CharField("Chức vụ người ký", max_length=120, help_text="Ví dụ: Chủ tịch UBND huyện")
    summary = models.TextField("Trích yếu", max_length=2000)
    replaces = models.ManyToManyField(
        "self", verbose_name="Thay thế văn bản", symmetrical=False, blank=True, related_name="replaced_by"
    )
    amends = models.ManyToManyField(
        "self", verbose_name="Sửa đổi, bổ sung văn bản", symmetrical=False, blank=True, related_name="amended_by"
    )
    is_published = models.BooleanField("Công khai", default=True)
    publish_at = models.DateTimeField("Thời gian đăng", default=timezone.now)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField("Ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    objects, every_unit = units.managers(DocumentQuerySet)

    class Meta:
        ordering = ("-issued_on", "-id")
        get_latest_by = "issued_on"
        verbose_name = "Văn bản"
        verbose_name_plural = "Văn bản điện tử"
        indexes = [
            # The list's order within a unit; its count is read from the index alone.
            models.Index(
                fields=["unit", "-issued_on", "-id"],
                condition=models.Q(is_published=True),
                include=["publish_at"],
                name="document_unit_list_idx",
            )
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.pk])

    @property
    def is_public(self):
        return self.is_published and self.publish_at <= timezone.now()

    def status_on(self, day):
        if self.effective_until and self.effective_until <= day:
            return self.Status.EXPIRED
        if (self.effective_from or self.issued_on) > day:
            return self.Status.PENDING
        return self.Status.ACTIVE

    @property
    def status(self):
        """Derived from the dates, never stored: it changes by itself when a date passes."""
        return self.status_on(timezone.localdate())

    def save(self, *args, **kwargs):
        self.search_text = search_key(f"{self.doc_type.name} {self.number} {self.summary}")
        super().save(*args, **kwargs)


class DocumentFile(FileText):
    document = models.ForeignKey(Document, verbose_name="Văn bản", on_delete=models.CASCADE, related_name="files")
    file = models.FileField(
        "Tệp",
        upload_to="van-ban/%Y/%m/",
        validators=[validate_document_file],
        help_text="PDF, DOC, DOCX, XLS hoặc XLSX; kiểm tra theo nội dung tệp.",
    )
    title = models.CharField("Tên hiển thị", max_length=200, blank=True, help_text="Để trống để dùng tên tệp.")
    kind = models.CharField(max_length=8, editable=False, default="")
    size = models.PositiveIntegerField("Dung lượng (byte)", default=0, editable=False)
    download_count = models.PositiveIntegerField("Lượt tải", default=0, editable=False)
    order = models.PositiveSmallIntegerField("Thứ tự", default=0)

    class Meta:
        ordering = ("order", "id")
        verbose_name = "Tệp đính kèm"
        verbose_name_plural = "Tệp đính kèm"

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.title or posixpath.basename(self.file.name)

    @property
    def content_type(self):
        return content_type_for(self.kind)

    @property
    def download_name(self):
        """The name a citizen's computer saves: the title with the extension of the real content."""
        stem, extension = posixpath.splitext(posixpath.basename(self.file.name))
        extension = KINDS[self.kind][1] if self.kind in KINDS else extension
        base = self.title or stem
        return base if base.lower().endswith(extension) else base + extension

    def get_absolute_url(self):
        return reverse("documents:download", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            # The stored name gets an ASCII stem and the extension of what the bytes really are.
            self.kind = sniff(self.file) or ""
            self.size = self.file.size
            self.read_text()
            stem = slugify_vi(posixpath.splitext(posixpath.basename(self.file.name))[0]) or "van-ban"
            self.file.name = stem + (KINDS[self.kind][1] if self.kind in KINDS else "")
        super().save(*args, **kwargs)

    def count_download(self):
        """The database adds one, so simultaneous downloads are all counted."""
        type(self).objects.filter(pk=self.pk).update(download_count=F("download_count") + 1)


def next_publish_at():
    """When the next scheduled document goes public, asked by every page rendered: kept per process
    and content version until that moment (portal.fragments)."""

    def find():
        moment = Document.objects.next_publish_at()
        fragments.changes_at(moment)
        return moment

    return fragments.kept("documents:next-publish", find)
