from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_ckeditor_5.fields import CKEditor5Field

from portal import units
from portal.html import sanitize_body
from portal.images import make_renditions, validate_image
from portal.links import slug_url
from portal.models import UnitOwned
from portal.text import unique_slug

MENU_CACHE_KEY = "news:menu"


class Category(UnitOwned):
    """A news section; two levels: top categories and their sub-categories."""

    name = models.CharField("Tên chuyên mục", max_length=120)
    slug = models.SlugField("Đường dẫn", max_length=140, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="Chuyên mục cha",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text="Để trống nếu là chuyên mục cấp một.",
    )
    order = models.PositiveSmallIntegerField("Thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    description = models.CharField("Mô tả", max_length=300, blank=True)
    show_in_menu = models.BooleanField("Hiện trên menu", default=True)

    objects, every_unit = units.managers()

    # Merging units (portal.merging): a moved category with the address and parent of one the new
    # unit has becomes that one (its articles and sub-categories join it).
    merge_same_slug = "join"

    class Meta:
        ordering = ("order", "name")
        verbose_name = "Chuyên mục"
        verbose_name_plural = "Chuyên mục"
        constraints = [models.UniqueConstraint(fields=["unit", "slug"], name="category_slug_per_unit")]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self):
        if self.parent_id and (
            self.parent_id == self.pk or self.parent.parent_id or (self.pk and self.children.exists())
        ):
            raise ValidationError({"parent": "Chỉ hỗ trợ hai cấp chuyên mục."})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)
        with units.active(self.unit_id):  # the menu kept for this category's unit, whoever saves it
            cache.delete(MENU_CACHE_KEY)

    def delete(self, *args, **kwargs):
        super().delete(*args, **kwargs)
        with units.active(self.unit_id):
            cache.delete(MENU_CACHE_KEY)

    def get_absolute_url(self):
        return slug_url("news:category", self.slug)

    def family_ids(self):
        """This category and its sub-categories: what its page lists."""
        return [self.pk, *self.children.values_list("pk", flat=True)]


# What news.cards shows of an article, and what decides whether and where it is listed.
CARD_FIELDS = (
    "unit",
    "category",
    "slug",
    "title",
    "sapo",
    "publish_at",
    "status",
    "cover_image",
    "cover_width",
    "cover_height",
)


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """The one publish rule: published status and a publish time already past (past `at`, now by
        default: a compiled read, portal.shapes, gives the moment as a value)."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=at or timezone.now())

    def for_listing(self):
        return self.select_related("category").defer("body")

    def for_cards(self):
        """Only what a card shows (news.cards) and the list pages order by: a list page at any depth
        reads 12 narrow rows, no join."""
        return self.only(*CARD_FIELDS)

    def in_category(self, category):
        return self.filter(category_id__in=category.family_ids())


def article_cover_path(instance, filename):
    return timezone.now().strftime("covers/%Y/%m/") + filename


class Article(UnitOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        RETURNED = "returned", "Bị trả lại"
        PENDING = "pending", "Chờ duyệt"
        PUBLISHED = "published", "Đã xuất bản"

    title = models.CharField("Tiêu đề", max_length=250)
    slug = models.SlugField(
        "Đường dẫn",
        max_length=200,
        blank=True,
        help_text="Tự tạo từ tiêu đề nếu để trống (không dấu).",
    )
    sapo = models.TextField("Sapo (tóm tắt)", max_length=1000, help_text="Đoạn dẫn in đậm dưới tiêu đề.")
    body = CKEditor5Field("Nội dung", config_name="default")
    cover_image = models.ImageField(
        "Ảnh đại diện",
        upload_to=article_cover_path,
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        validators=[validate_image],
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_caption = models.CharField(
        "Chú thích ảnh",
        max_length=300,
        blank=True,
        help_text="Cũng dùng làm mô tả ảnh cho người khiếm thị.",
    )
    author = models.CharField("Tác giả", max_length=120, blank=True, help_text="Ví dụ: Mai Hoa")
    source = models.CharField("Nguồn", max_length=200, blank=True)
    category = models.ForeignKey(Category, verbose_name="Chuyên mục", on_delete=models.PROTECT, related_name="articles")
    featured = models.BooleanField("Tin nổi bật", default=False)
    status = models.CharField("Trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "Thời gian xuất bản",
        default=timezone.now,
        help_text="Đặt bằng nút “Xuất bản” (lúc bấm) hoặc “Hẹn giờ”: bài hẹn giờ chỉ hiện khi đến giờ.",
    )
    view_count = models.PositiveIntegerField("Lượt xem", default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("Ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    objects, every_unit = units.managers(ArticleQuerySet)

    class Meta:
        ordering = ("-publish_at", "-id")
        get_latest_by = "publish_at"
        verbose_name = "Bài viết"
        verbose_name_plural = "Bài viết"
        permissions = [("publish_article", "Có thể xuất bản và gỡ bài viết")]
        constraints = [models.UniqueConstraint(fields=["unit", "slug"], name="article_slug_per_unit")]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="article_published_idx"),
            # The lists' order, published articles only: a page is an index range (news.paging),
            # and a list's page starts are read from the index alone once rows are all-visible.
            # Both lead with the unit every public query filters by (docs/units.md).
            models.Index(
                fields=["unit", "category", "-publish_at", "-id"],
                condition=models.Q(status="published"),
                name="article_unit_category_idx",
            ),
            models.Index(
                fields=["unit", "-publish_at", "-id"],
                condition=models.Q(status="published"),
                name="article_unit_list_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("news:article", self.slug)

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def cover_alt(self):
        return self.cover_caption or self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        self.body = sanitize_body(self.body)
        cover_changed = self._cover_changed()
        if self.pk and not self._state.adding and kwargs.get("update_fields") is None and not args:
            # Views are added by the counters meanwhile: an edit never writes back the count it loaded.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "view_count"
            ]
        super().save(*args, **kwargs)
        if cover_changed and self.cover_image:
            make_renditions(self.cover_image.name)

    def _cover_changed(self):
        if not self.cover_image:
            return False
        if not self.pk:
            return True
        old = type(self).objects.filter(pk=self.pk).values_list("cover_image", flat=True).first()
        return old != self.cover_image.name or not self.cover_image._committed


class ArticleTransition(models.Model):
    """One step of the newsroom workflow (news.workflow): who moved an article where, when and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Gửi duyệt"
        PUBLISH = "publish", "Xuất bản"
        SCHEDULE = "schedule", "Hẹn giờ"
        RETURN = "return", "Trả lại"
        UNPUBLISH = "unpublish", "Gỡ bài"

    article = models.ForeignKey(Article, verbose_name="Bài viết", on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("Thao tác", max_length=12, choices=Action.choices)
    from_status = models.CharField("Từ trạng thái", max_length=12, choices=Article.Status.choices, blank=True)
    to_status = models.CharField("Sang trạng thái", max_length=12, choices=Article.Status.choices)
    publish_at = models.DateTimeField("Giờ đăng", null=True, blank=True)
    comment = models.TextField("Góp ý", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="Người thực hiện", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("Thời điểm", default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-id")
        get_latest_by = "created_at"
        verbose_name = "Bước duyệt bài"
        verbose_name_plural = "Các bước duyệt bài"

    def __str__(self):
        return f"{self.get_action_display()}: {self.article}"
