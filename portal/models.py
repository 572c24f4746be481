from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class SingletonModel(models.Model):
    """A settings row edited in admin: always pk 1, read through a short-lived cache."""

    cache_key = None  # each subclass names its own

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.cache_key)

    @classmethod
    def load(cls):
        loaded = cache.get(cls.cache_key)
        if loaded is None:
            loaded, _ = cls.objects.get_or_create(pk=1)
            cache.set(cls.cache_key, loaded, 300)
        return loaded


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

    @property
    def unit_heading(self):
        """The banner's second line, e.g. "HUYỆN KIM SƠN"."""
        return f"{self.unit_level} {self.unit_name}".upper()
