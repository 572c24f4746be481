import posixpath
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from portal import units
from portal.files import KINDS, content_type_for, sniff, validate_upload
from portal.filetext import FileText
from portal.models import SingletonModel, UnitOwned
from portal.phones import normalize_phone
from portal.text import mask_name, slugify_vi, unique_slug

FORM_KINDS = ["pdf", "doc", "docx", "xls", "xlsx"]


def validate_form_file(upload):
    validate_upload(upload, FORM_KINDS, settings.DOCUMENT_FILE_MAX_BYTES)


# The unit's part of a receipt code, e.g. the official identifier 000.00.25.H42: it is followed by
# "-<day>-<random>", so no hyphen; groups of letters and digits with dots between them.
RECEIPT_PREFIX = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*")
RECEIPT_PREFIX_MAX = 20
# A unit code written as the official identifier, 000-21-25-h42 for 000.21.25.H42.
OFFICIAL_CODE = re.compile(r"\d{3}-\d{2}-\d{2}-[a-z]\d{2}")


def validate_receipt_prefix(value):
    if not RECEIPT_PREFIX.fullmatch(value or ""):
        raise ValidationError(
            "Mã đơn vị trên giấy biên nhận chỉ gồm chữ cái không dấu, chữ số và dấu chấm giữa các nhóm "
            "(không dấu cách, không gạch ngang), ví dụ 000.00.25.H42.",
            code="invalid",
        )


class ServiceSettings(SingletonModel):
    """Where citizens file online: the provincial public-service portal, editable in admin; the
    unit's part of its receipt codes."""

    portal_name = models.CharField("Tên cổng dịch vụ công", max_length=200, default="Cổng Dịch vụ công tỉnh Ninh Bình")
    portal_url = models.URLField("Địa chỉ cổng dịch vụ công", default="https://dichvucong.ninhbinh.gov.vn")
    national_portal_url = models.URLField("Cổng Dịch vụ công quốc gia", default="https://dichvucong.gov.vn")
    receipt_prefix = models.CharField(
        "Mã đơn vị trên giấy biên nhận",
        max_length=RECEIPT_PREFIX_MAX,
        default="000.00.25.H42",
        validators=[validate_receipt_prefix],
        help_text="Phần đầu mã biên nhận hồ sơ của đơn vị, nên ghi mã định danh điện tử của đơn vị, "
        "ví dụ 000.00.25.H42; mỗi đơn vị một mã. Đổi mã không đổi mã biên nhận của hồ sơ đã nhận.",
    )

    cache_key = "services:settings"

    @classmethod
    def initial_values(cls, unit):
        """The province's public-service portal: a commune's own, or its province's; a receipt
        prefix of the unit's own, from its code."""
        values = {"receipt_prefix": derived_receipt_prefix(unit.code)}
        province = unit if unit.kind == "tinh" else unit.parent
        if province is not None:
            values["portal_name"] = f"Cổng Dịch vụ công tỉnh {province.name}"
            values["portal_url"] = f"https://dichvucong.{province.code.replace('-', '')}.gov.vn"
        return values

    def clean(self):
        self.receipt_prefix = (self.receipt_prefix or "").strip().upper()
        other = (
            ServiceSettings.every_unit.filter(receipt_prefix=self.receipt_prefix, unit__merged_into=None)
            .exclude(unit_id=self.unit_id)
            .select_related("unit")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "receipt_prefix": f"Mã {self.receipt_prefix} đã dùng cho {other.unit}: mỗi đơn vị cần "
                    "một mã riêng để mã biên nhận của hai đơn vị không lẫn nhau."
                }
            )

    def save(self, *args, **kwargs):
        self.receipt_prefix = (self.receipt_prefix or "").strip().upper()
        super().save(*args, **kwargs)

    class Meta:
        verbose_name = "Cấu hình một cửa"
        verbose_name_plural = "Cấu hình một cửa"

    def __str__(self):
        return self.portal_name


def derived_receipt_prefix(code, taken=None):
    """A new unit's receipt prefix from its code: the official identifier when the code is written
    as one (000-21-25-h42 -> 000.21.25.H42), else its letters and digits (kim-dong -> KIMDONG), a
    number added when another unit has it. `taken`: the prefixes in use (read when None)."""
    if taken is None:
        field = ServiceSettings._meta.get_field("receipt_prefix")
        taken = {field.default, *ServiceSettings.every_unit.values_list("receipt_prefix", flat=True)}
    if OFFICIAL_CODE.fullmatch(code):
        base = code.replace("-", ".").upper()
    else:
        base = re.sub(r"[^A-Za-z0-9]", "", code).upper()[:RECEIPT_PREFIX_MAX] or "DONVI"
    prefix, n = base, 2
    while prefix in taken:
        prefix, n = f"{base[: RECEIPT_PREFIX_MAX - len(str(n))]}{n}", n + 1
    return prefix


class Sector(models.Model):
    name = models.CharField("Tên lĩnh vực", max_length=150, unique=True)
    order = models.PositiveSmallIntegerField("Thứ tự", default=0, help_text="Số nhỏ đứng trước.")

    class Meta:
        ordering = ("order", "name")
        verbose_name = "Lĩnh vực thủ tục"
        verbose_name_plural = "Lĩnh vực thủ tục"

    def __str__(self):
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def published(self):
        """The one publish rule for procedures: marked public."""
        return self.filter(is_published=True)


class Procedure(UnitOwned):
    class Level(models.TextChoices):
        FULL = "full", "Dịch vụ công trực tuyến toàn trình"
        PARTIAL = "partial", "Dịch vụ công trực tuyến một phần"
        INFO = "info", "Cung cấp thông tin"

    name = models.CharField("Tên thủ tục", max_length=300)
    slug = models.SlugField("Đường dẫn", max_length=200, blank=True)
    code = models.CharField(
        "Mã thủ tục", max_length=40, blank=True, help_text="Mã trên Cơ sở dữ liệu quốc gia, ví dụ 1.001193."
    )
    sector = models.ForeignKey(Sector, verbose_name="Lĩnh vực", on_delete=models.PROTECT, related_name="procedures")
    level = models.CharField("Mức độ", max_length=10, choices=Level.choices, default=Level.PARTIAL)
    processing_time = models.CharField("Thời hạn giải quyết", max_length=200, help_text="Ví dụ: 03 ngày làm việc.")
    fee = models.CharField("Phí, lệ phí", max_length=300, default="Không")
    requirements = models.TextField("Thành phần hồ sơ", help_text="Mỗi giấy tờ một dòng.")
    steps = models.TextField("Trình tự thực hiện", blank=True)
    online_url = models.URLField(
        "Nộp trực tuyến tại", blank=True, help_text="Để trống để dùng địa chỉ cổng dịch vụ công trong cấu hình."
    )
    is_published = models.BooleanField("Công khai", default=True)
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    objects, every_unit = units.managers(ProcedureQuerySet)

    class Meta:
        ordering = ("sector__order", "name")
        verbose_name = "Thủ tục hành chính"
        verbose_name_plural = "Thủ tục hành chính"
        constraints = [models.UniqueConstraint(fields=["unit", "slug"], name="procedure_slug_per_unit")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:procedure", args=[self.slug])

    def requirement_list(self):
        return [line.strip(" -•\t") for line in self.requirements.splitlines() if line.strip(" -•\t")]

    def submit_url(self):
        return self.online_url or ServiceSettings.load().portal_url

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


class ProcedureForm(FileText):
    """A form (mẫu đơn, tờ khai) citizens download to fill in."""

    procedure = models.ForeignKey(Procedure, verbose_name="Thủ tục", on_delete=models.CASCADE, related_name="forms")
    title = models.CharField("Tên biểu mẫu", max_length=200)
    file = models.FileField(
        "Tệp", upload_to="bieu-mau/", validators=[validate_form_file], help_text="PDF, DOC, DOCX, XLS hoặc XLSX."
    )
    kind = models.CharField(max_length=8, editable=False, default="")
    download_count = models.PositiveIntegerField("Lượt tải", default=0, editable=False)

    class Meta:
        ordering = ("id",)
        verbose_name = "Biểu mẫu"
        verbose_name_plural = "Biểu mẫu"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("services:form", args=[self.pk])

    @property
    def content_type(self):
        return content_type_for(self.kind)

    @property
    def download_name(self):
        return self.title + (KINDS[self.kind][1] if self.kind in KINDS else posixpath.splitext(self.file.name)[1])

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.kind = sniff(self.file) or ""
            self.read_text()
            stem = slugify_vi(posixpath.splitext(posixpath.basename(self.file.name))[0]) or "bieu-mau"
            self.file.name = stem + (KINDS[self.kind][1] if self.kind in KINDS else "")
        super().save(*args, **kwargs)

    def count_download(self):
        type(self).objects.filter(pk=self.pk).update(download_count=F("download_count") + 1)


class DossierStatus(models.TextChoices):
    RECEIVED = "received", "Đã tiếp nhận"
    PROCESSING = "processing", "Đang xử lý"
    SUPPLEMENT = "supplement", "Yêu cầu bổ sung hồ sơ"
    DONE = "done", "Đã có kết quả, chờ trả"
    RETURNED = "returned", "Đã trả kết quả"
    REFUSED = "refused", "Từ chối giải quyết"


# No 0/O, 1/I/L: the code is read off paper and typed by hand.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_RANDOM_LENGTH = 6


def new_receipt_code(received_on, unit_id=None):
    """ "000.00.25.H42-261120-K7QM4X": the unit's prefix (that of `unit_id`, else the unit being
    served), day of receipt, and a random part nobody can count through."""
    if unit_id is None or unit_id == units.owner_id():
        prefix = ServiceSettings.load().receipt_prefix
    else:
        with units.active(unit_id):
            prefix = ServiceSettings.load().receipt_prefix
    while True:
        random_part = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_RANDOM_LENGTH))
        code = f"{prefix}-{received_on:%y%m%d}-{random_part}"
        if not Dossier.every_unit.filter(receipt_code=code).exists():  # unique across units
            return code


class DossierQuerySet(models.QuerySet):
    def closed_before(self, moment):
        """Dossiers returned or refused, whose last step is before `moment`."""
        return (
            self.filter(status__in=(DossierStatus.RETURNED, DossierStatus.REFUSED))
            .annotate(last_step=models.Max("events__at"))
            .filter(last_step__lt=moment)
        )

    def matching(self, code, phone_digits):
        """The dossier with this receipt code whose applicant's phone ends with these digits, or None.

        A wrong code, wrong digits and a dossier without a phone all give None the same way,
        in the same single query, so the answer never tells whether a code exists.
        """
        code = (code or "").strip().upper()
        if not code or len(phone_digits) != 4:
            return None
        return (
            self.exclude(applicant_phone="")
            .filter(receipt_code__iexact=code, applicant_phone__endswith=phone_digits)
            .select_related("procedure")
            .prefetch_related(models.Prefetch("events", queryset=DossierEvent.objects.order_by("at", "id")))
            .first()
        )


class Dossier(UnitOwned):
    """A citizen's file (hồ sơ) received at the one-stop desk."""

    Status = DossierStatus

    receipt_code = models.CharField(
        "Mã biên nhận",
        max_length=40,
        unique=True,
        editable=False,
        help_text="Tự sinh khi lưu: mã đơn vị, ngày tiếp nhận và 6 ký tự ngẫu nhiên, ví dụ 000.00.25.H42-261120-K7QM4X.",
    )
    procedure = models.ForeignKey(Procedure, verbose_name="Thủ tục", on_delete=models.PROTECT, related_name="dossiers")
    applicant_name = models.CharField("Người nộp", max_length=120)
    applicant_phone = models.CharField(
        "Điện thoại người nộp",
        max_length=20,
        blank=True,
        help_text="Lưu dạng chuẩn, ví dụ 0912345678. Người dân tra cứu hồ sơ bằng mã biên nhận và 4 số cuối của số này.",
    )
    received_on = models.DateField("Ngày tiếp nhận", default=timezone.localdate)
    due_on = models.DateField("Ngày hẹn trả")
    status = models.CharField(
        "Trạng thái", max_length=12, choices=Status.choices, default=Status.RECEIVED, editable=False
    )
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    objects, every_unit = units.managers(DossierQuerySet)

    class Meta:
        ordering = ("-received_on", "-id")
        verbose_name = "Hồ sơ"
        verbose_name_plural = "Hồ sơ một cửa"

    def __str__(self):
        return self.receipt_code

    def save(self, *args, **kwargs):
        if isinstance(self.received_on, str):
            self.received_on = parse_date(self.received_on)
        if not self.receipt_code:
            self.receipt_code = new_receipt_code(self.received_on, self.unit_id)
        self.applicant_phone = normalize_phone(self.applicant_phone)
        super().save(*args, **kwargs)

    @property
    def masked_applicant(self):
        return mask_name(self.applicant_name)

    def erase_personal_data(self):
        """Remove who filed it; the lookup then finds it no more (it needs the phone)."""
        self.applicant_name = self.applicant_phone = ""
        self.save(update_fields=["applicant_name", "applicant_phone", "updated_at"])

    def record(self, status, note="", at=None):
        """Add a step to the history; the dossier's status is its latest step."""
        event = self.events.create(status=status, note=note, at=at or timezone.now())
        self.sync_status()
        return event

    def sync_status(self):
        latest = self.events.order_by("-at", "-id").first()
        status = latest.status if latest else self.Status.RECEIVED
        if status != self.status:
            self.status = status
            type(self).objects.filter(pk=self.pk).update(status=status)


class DossierEvent(models.Model):
    dossier = models.ForeignKey(Dossier, verbose_name="Hồ sơ", on_delete=models.CASCADE, related_name="events")
    status = models.CharField("Trạng thái", max_length=12, choices=DossierStatus.choices)
    at = models.DateTimeField("Thời điểm", default=timezone.now)
    note = models.CharField(
        "Ghi chú công khai", max_length=300, blank=True, help_text="Người dân xem được ghi chú này."
    )

    class Meta:
        ordering = ("at", "id")
        verbose_name = "Bước xử lý"
        verbose_name_plural = "Quá trình xử lý"

    def __str__(self):
        return f"{self.get_status_display()} · {self.at:%d/%m/%Y}"
