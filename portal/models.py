from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, OperationalError, models, transaction
from django.utils.text import capfirst

from . import units


class Unit(models.Model):
    """A province, commune, ward or special zone with a portal of its own (docs/units.md)."""

    class Kind(models.TextChoices):
        PROVINCE = "tinh", "Tỉnh"
        COMMUNE = "xa", "Xã"
        WARD = "phuong", "Phường"
        SPECIAL_ZONE = "dac-khu", "Đặc khu"
        DISTRICT = "huyen", "Huyện"

    name = models.CharField("Tên đơn vị", max_length=120, help_text="Ví dụ: Kim Sơn.")
    kind = models.CharField("Cấp đơn vị", max_length=10, choices=Kind.choices, default=Kind.COMMUNE)
    code = models.SlugField(
        "Mã đơn vị",
        max_length=60,
        unique=True,
        help_text="Chữ thường không dấu, dùng trong tên thư mục tệp, ví dụ kim-son.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="Thuộc tỉnh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"kind": "tinh"},
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="Đã sáp nhập vào",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_units",
        editable=False,
    )

    class Meta:
        ordering = ("kind", "name")
        verbose_name = "Đơn vị"
        verbose_name_plural = "Đơn vị"

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @property
    def kind_lower(self):
        """ "xã", "tỉnh", as the unit is named inside a sentence."""
        return self.get_kind_display().lower()

    @property
    def full_name(self):
        """ "xã Kim Đông", "tỉnh Ninh Bình"."""
        return f"{self.kind_lower} {self.name}"

    @property
    def main_host(self):
        first = self.hosts.order_by("-is_main", "pk").first()
        return first.name if first else ""


class UnitHost(models.Model):
    """A host name a unit's portal answers on, e.g. kimson.ninhbinh.gov.vn."""

    unit = models.ForeignKey(Unit, verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="hosts")
    name = models.CharField(
        "Tên miền",
        max_length=253,
        unique=True,
        help_text="Không ghi http:// và cổng, ví dụ kimson.ninhbinh.gov.vn.",
    )
    is_main = models.BooleanField("Tên miền chính", default=False, help_text="Dùng trong liên kết tới đơn vị.")

    class Meta:
        ordering = ("-is_main", "name")
        verbose_name = "Tên miền"
        verbose_name_plural = "Tên miền"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = units.host_name(self.name.strip())
        super().save(*args, **kwargs)


class UnitMembership(models.Model):
    """A staff member's place in one unit and the staff groups they work in there (docs/units.md)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Cán bộ", on_delete=models.CASCADE, related_name="unit_memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="memberships")
    groups = models.ManyToManyField(
        "auth.Group",
        verbose_name="Nhóm",
        blank=True,
        related_name="unit_memberships",
        help_text="Quyền của cán bộ trong đơn vị này.",
    )

    class Meta:
        ordering = ("unit", "user__username")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="one_membership_per_user_and_unit")]
        verbose_name = "Cán bộ của đơn vị"
        verbose_name_plural = "Cán bộ của đơn vị"

    def __str__(self):
        return f"{self.user} – {self.unit}"


class MovedPath(models.Model):
    """Where an address of a merged unit's portal now lives on the unit it was merged into
    (`portal.merging`): requests for the old host answer with a permanent redirect there."""

    unit = models.ForeignKey(
        Unit, verbose_name="Đơn vị cũ", on_delete=models.CASCADE, related_name="moved_paths", editable=False
    )
    path = models.CharField("Đường dẫn cũ", max_length=500)
    target = models.CharField("Đường dẫn mới", max_length=500)

    class Meta:
        verbose_name = "Đường dẫn đã chuyển"
        verbose_name_plural = "Đường dẫn đã chuyển"
        constraints = [models.UniqueConstraint(fields=["unit", "path"], name="moved_path_per_unit")]

    def __str__(self):
        return f"{self.path} → {self.target}"


class DeletedRowUnit(models.Model):
    """The unit a row deleted in the admin belonged to, kept with the deletion's log entry: the row
    is gone, and the index's "recent actions" shows the deletion in that unit's admin only
    (`portal.sites.UnitScopedAdmin.log_deletions`)."""

    entry = models.OneToOneField(
        "admin.LogEntry", on_delete=models.CASCADE, primary_key=True, related_name="deleted_row_unit"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "Đơn vị của mục đã xóa"
        verbose_name_plural = "Đơn vị của mục đã xóa"

    def __str__(self):
        return f"{self.entry.object_repr} – {self.unit}"


class UnitOwned(models.Model):
    """A row that belongs to one unit; its default manager shows the current unit's rows only."""

    unit = units.unit_field()

    objects = units.UnitManager()
    every_unit = models.Manager()

    class Meta:
        abstract = True

    # The admin's forms leave `unit` out (it is the request's), and Django then skips every check
    # that names it: the unit+slug constraints are checked here with the row's unit all the same.
    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=set(exclude or ()) - {"unit"})
        except ValidationError as error:
            raise ValidationError(_per_field(error)) from None

    def unique_error_message(self, model_class, unique_check):
        others = [name for name in unique_check if name != "unit"]
        if "unit" not in unique_check or len(others) != 1:
            return super().unique_error_message(model_class, unique_check)
        label = model_class._meta.get_field(others[0]).verbose_name
        return ValidationError(
            f"{capfirst(label)} này đã có trong đơn vị; hãy chọn {label.lower()} khác.",
            code="unique",
            params={"unique_check": unique_check},
        )


def _per_field(error):
    """A unit+field constraint's error belongs to that field, where the form shows it."""
    errors = {}
    for key, messages in error.error_dict.items():
        for message in messages:
            check = (message.params or {}).get("unique_check", ()) if message.code == "unique" else ()
            others = [name for name in check if name != "unit"]
            field = others[0] if key == NON_FIELD_ERRORS and "unit" in check and len(others) == 1 else key
            errors.setdefault(field, []).append(message)
    return errors


class SingletonModel(UnitOwned):
    """A settings row edited in admin: one per unit, read through a short-lived cache."""

    unit = models.OneToOneField(
        Unit, verbose_name="Đơn vị", on_delete=models.CASCADE, default=units.owner_id, related_name="+", editable=False
    )

    cache_key = None  # each subclass names its own (the cache adds the unit, portal.units)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        with units.active(self.unit_id):
            cache.delete(self.cache_key)

    @classmethod
    def load(cls):
        loaded = cache.get(cls.cache_key)
        if loaded is None:
            unit_id = units.owner_id()
            loaded = cls.every_unit.filter(unit_id=unit_id).first()
            if loaded is None:
                values = cls._first_values(unit_id)
                try:
                    with transaction.atomic():
                        loaded = cls.every_unit.create(unit_id=unit_id, **values)
                except IntegrityError:  # another request made it meanwhile
                    loaded = cls.every_unit.get(unit_id=unit_id)
                except OperationalError:
                    # The database cannot take the write now (SQLite busy with other writers): this
                    # page shows the starting values; a later request stores them.
                    return cls(unit_id=unit_id, **values)
            cache.set(cls.cache_key, loaded, 300)
        return loaded

    @classmethod
    def _first_values(cls, unit_id):
        # The installation's first unit keeps the field defaults it has always had.
        if unit_id == units.first_unit_id():
            return {}
        unit = units.get(unit_id) or Unit.objects.select_related("parent").get(pk=unit_id)
        return cls.initial_values(unit)

    @classmethod
    def initial_values(cls, unit):
        """The values a new unit's row starts from (`portal.creating.create_unit`), e.g. its name."""
        return {}


class SiteSettings(SingletonModel):
    """The one editable description of the unit that owns the portal.

    The unit is a setting, not a constant: the same code serves a commune,
    ward or province portal by editing this object in admin.
    """

    site_title = models.CharField("Tên trang", max_length=120, default="Trang thông tin điện tử")
    unit_level = models.CharField(
        "Cấp đơn vị", max_length=40, default="Huyện", help_text="Ví dụ: Huyện, Xã, Phường, Tỉnh."
    )
    unit_name = models.CharField("Tên đơn vị", max_length=120, default="Kim Sơn")
    emblem = models.FileField(
        "Biểu trưng",
        upload_to="site/",
        blank=True,
        help_text="Để trống để dùng Quốc huy mặc định.",
    )
    welcome_line = models.CharField(
        "Dòng chữ chào mừng",
        max_length=250,
        default="Chào mừng bạn đến với Trang thông tin điện tử huyện Kim Sơn",
    )
    agency = models.CharField("Cơ quan chủ quản", max_length=200, default="UBND huyện Kim Sơn")
    address = models.CharField("Địa chỉ", max_length=250, default="Thị trấn Phát Diệm, huyện Kim Sơn, tỉnh Ninh Bình")
    phone = models.CharField("Điện thoại", max_length=60, default="0229 3862 152")
    email = models.EmailField("Thư điện tử", default="ubndkimson@ninhbinh.gov.vn")
    responsible_person = models.CharField(
        "Chịu trách nhiệm chính",
        max_length=200,
        default="Chánh Văn phòng HĐND và UBND huyện Kim Sơn",
    )
    licence = models.CharField(
        "Giấy phép",
        max_length=250,
        default="Giấy phép số 01/GP-TTĐT do Sở Thông tin và Truyền thông tỉnh Ninh Bình cấp",
    )
    personal_data_retention_months = models.PositiveSmallIntegerField(
        "Thời hạn lưu dữ liệu cá nhân (tháng)",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="Sau thời hạn này kể từ khi góp ý hoặc hồ sơ được giải quyết xong, họ tên, điện thoại, "
        "thư điện tử, địa chỉ và tệp đính kèm của người dân được xoá tự động; câu hỏi và trả lời đã ẩn danh được giữ lại.",
    )
    emc_enabled = models.BooleanField("Bật mã theo dõi EMC", default=False)
    emc_snippet = models.TextField(
        "Mã theo dõi EMC",
        blank=True,
        help_text="Đoạn mã do Trung tâm Giám sát (EMC) cung cấp; chỉ chèn khi được bật.",
    )

    cache_key = "portal:site-settings"

    class Meta:
        verbose_name = "Cấu hình trang"
        verbose_name_plural = "Cấu hình trang"

    def __str__(self):
        return f"{self.site_title} {self.unit_level.lower()} {self.unit_name}"

    @classmethod
    def initial_values(cls, unit):
        where = unit.full_name
        province = f", tỉnh {unit.parent.name}" if unit.parent_id and unit.kind != Unit.Kind.PROVINCE else ""
        return {
            "site_title": "Trang thông tin điện tử",
            "unit_level": unit.get_kind_display(),
            "unit_name": unit.name,
            "welcome_line": f"Chào mừng bạn đến với Trang thông tin điện tử {where}",
            "agency": f"UBND {where}",
            "address": f"{where[:1].upper()}{where[1:]}{province}",
            "phone": "",
            "email": "",
            "responsible_person": f"Chánh Văn phòng HĐND và UBND {where}",
            "licence": "",
        }

    @property
    def unit_heading(self):
        """The banner's second line, e.g. "HUYỆN KIM SƠN"."""
        return f"{self.unit_level} {self.unit_name}".upper()
