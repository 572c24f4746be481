from django.db import models
from django.urls import reverse
from django_ckeditor_5.fields import CKEditor5Field

from portal import units
from portal.html import sanitize_body
from portal.images import make_renditions, validate_image
from portal.models import SingletonModel, UnitOwned
from portal.text import strip_diacritics, unique_slug

KINDS_EN = {"tinh": "Province", "xa": "Commune", "phuong": "Ward", "dac-khu": "Special Zone", "huyen": "District"}


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Page(UnitOwned):
    """An editable introduction page: overview, history, organisation and functions."""

    title = models.CharField("Tiêu đề", max_length=200)
    slug = models.SlugField("Đường dẫn", max_length=120, blank=True)
    body = CKEditor5Field("Nội dung", config_name="default")
    order = models.PositiveSmallIntegerField(
        "Thứ tự", default=0, help_text="Trang có số nhỏ nhất mở đầu mục Giới thiệu."
    )
    is_published = models.BooleanField("Công khai", default=True)
    in_menu = models.BooleanField(
        "Hiện trong mục Giới thiệu",
        default=True,
        help_text="Bỏ chọn để trang vẫn xem được theo đường dẫn nhưng không có trong danh sách mục Giới thiệu.",
    )
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    objects, every_unit = units.managers(PageQuerySet)

    # Merging units (portal.merging): a moved page whose address the new unit already uses is kept
    # aside (`set_aside`), and its old address goes to the new unit's page.
    merge_same_slug = "keep"

    class Meta:
        ordering = ("order", "id")
        verbose_name = "Trang giới thiệu"
        verbose_name_plural = "Trang giới thiệu"
        constraints = [models.UniqueConstraint(fields=["unit", "slug"], name="page_slug_per_unit")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:page", args=[self.slug])

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        self.body = sanitize_body(self.body)
        super().save(*args, **kwargs)

    def set_aside(self, old_unit):
        """A merged unit's page the new unit had one of: its text stays readable at its new address,
        named after its unit and out of the intro menu, for the editors to fold in. The fields changed."""
        self.title = f"{self.title} ({old_unit} trước sáp nhập)"[: self._meta.get_field("title").max_length]
        self.in_menu = False
        return ["title", "in_menu"]


class LeaderQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_active=True)


class Leader(UnitOwned):
    name = models.CharField("Họ và tên", max_length=120)
    title = models.CharField("Chức vụ", max_length=200, help_text="Ví dụ: Chủ tịch UBND huyện")
    title_en = models.CharField("Chức vụ (tiếng Anh)", max_length=200, blank=True, help_text="Ví dụ: Chairman")
    photo = models.ImageField(
        "Ảnh",
        upload_to="lanh-dao/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        validators=[validate_image],
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    phone = models.CharField("Điện thoại công vụ", max_length=40, blank=True)
    email = models.EmailField("Thư điện tử công vụ", blank=True)
    order = models.PositiveSmallIntegerField("Thứ tự", default=0)
    is_active = models.BooleanField("Đang đương nhiệm", default=True)

    objects, every_unit = units.managers(LeaderQuerySet)

    class Meta:
        ordering = ("order", "id")
        verbose_name = "Lãnh đạo"
        verbose_name_plural = "Lãnh đạo"

    def __str__(self):
        return f"{self.name} — {self.title}"

    def save(self, *args, **kwargs):
        photo_changed = bool(self.photo) and not self.photo._committed
        super().save(*args, **kwargs)
        if photo_changed:
            make_renditions(self.photo.name)


class ContactDetails(SingletonModel):
    """What the contact pages add to the site settings, including the English version the law asks for."""

    office_hours = models.CharField(
        "Giờ làm việc", max_length=250, default="Sáng 7h00 - 11h30, chiều 13h30 - 17h00, từ thứ hai đến thứ sáu"
    )
    organisation_en = models.CharField(
        "Tên cơ quan (tiếng Anh)", max_length=250, default="People's Committee of Kim Son District"
    )
    address_en = models.CharField(
        "Địa chỉ (tiếng Anh)", max_length=250, default="Phat Diem Town, Kim Son District, Ninh Binh Province, Viet Nam"
    )
    office_hours_en = models.CharField(
        "Giờ làm việc (tiếng Anh)",
        max_length=250,
        default="Monday to Friday, 7:00 - 11:30 and 13:30 - 17:00",
    )
    about_en = models.TextField(
        "Giới thiệu ngắn (tiếng Anh)",
        blank=True,
        default="Kim Son is a coastal district in the south-east of Ninh Binh Province, home of the "
        "Phat Diem stone cathedral and a leading area of sea encroachment and rice and sedge farming.",
    )

    cache_key = "pages:contact"

    class Meta:
        verbose_name = "Thông tin liên hệ"
        verbose_name_plural = "Thông tin liên hệ"

    def __str__(self):
        return "Thông tin liên hệ"

    @classmethod
    def initial_values(cls, unit):
        kind = KINDS_EN.get(unit.kind, "")
        name = strip_diacritics(unit.name)
        province = f", {strip_diacritics(unit.parent.name)} Province" if unit.parent_id and unit.kind != "tinh" else ""
        return {
            "organisation_en": f"People's Committee of {name} {kind}".strip(),
            "address_en": f"{name} {kind}{province}, Viet Nam".replace("  ", " "),
            "about_en": "",
        }


class ScheduleEntry(UnitOwned):
    """One line of the leaders' weekly work schedule (Lịch công tác)."""

    day = models.DateField("Ngày")
    time = models.TimeField("Giờ", null=True, blank=True, help_text="Để trống nếu cả ngày.")
    content = models.CharField("Nội dung công việc", max_length=500)
    host = models.CharField("Lãnh đạo chủ trì", max_length=200, blank=True, help_text="Ví dụ: Đ/c Chủ tịch UBND huyện")
    attendees = models.CharField("Thành phần", max_length=500, blank=True)
    place = models.CharField("Địa điểm", max_length=250, blank=True)
    is_published = models.BooleanField("Công khai", default=True)

    objects, every_unit = units.managers()

    class Meta:
        ordering = ("day", "time", "id")
        verbose_name = "Lịch công tác"
        verbose_name_plural = "Lịch công tác"
        indexes = [models.Index(fields=["unit", "day"], name="schedule_unit_day_idx")]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.time or ''} {self.content}".strip()
