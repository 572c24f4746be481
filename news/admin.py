import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from .models import Article, Category

PUBLISH_PERMISSION = "news.publish_article"


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "order", "show_in_menu")
    list_editable = ("order", "show_in_menu")
    list_filter = ("parent",)
    search_fields = ("name",)
    fields = ("name", "slug", "parent", "order", "description", "show_in_menu")


def categories_in_tree_order():
    """Each top category followed by its children, both by `order` then name ("Kinh tế", "Kinh tế › Nông nghiệp")."""
    return (
        Category.objects.select_related("parent")
        .annotate(
            top_order=Coalesce("parent__order", "order"),
            top_name=Coalesce("parent__name", "name"),
            top_id=Coalesce("parent_id", "id"),
            is_child=Case(When(parent__isnull=True, then=Value(0)), default=Value(1)),
        )
        .order_by("top_order", "top_name", "top_id", "is_child", "order", "name")
    )


class ArticleForm(forms.ModelForm):
    """Editors may write and submit; only approvers may publish (checked here, on the server)."""

    class Meta:
        model = Article
        fields = (
            "title",
            "slug",
            "category",
            "sapo",
            "body",
            "cover_image",
            "cover_caption",
            "status",
            "publish_at",
            "featured",
            "author",
            "source",
        )

    def __init__(self, *args, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_publish = can_publish
        if "category" in self.fields:
            self.fields["category"].queryset = categories_in_tree_order()
        if "body" in self.fields:
            # CKEditor hides the textarea; a hidden `required` field would block the browser's submit
            # without a visible message. The server still requires a body and says so in Vietnamese.
            self.fields["body"].widget.use_required_attribute = lambda initial: False
        if not can_publish and "status" in self.fields:
            self.fields["status"].choices = [c for c in Article.Status.choices if c[0] != Article.Status.PUBLISHED]

    def clean_status(self):
        status = self.cleaned_data["status"]
        was_published = self.instance.pk and self.initial.get("status") == Article.Status.PUBLISHED
        if not self.can_publish and (status == Article.Status.PUBLISHED or was_published):
            raise forms.ValidationError("Bạn không có quyền xuất bản hoặc sửa bài đã xuất bản.")
        return status


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleForm
    list_display = (
        "title",
        "category",
        "status_badge",
        "publish_at",
        "featured",
        "view_count",
        "author",
        "preview_link",
    )
    list_filter = ("status", "featured", "category", "publish_at")
    search_fields = ("title", "sapo", "author")
    date_hierarchy = "publish_at"
    list_select_related = ("category__parent",)
    autocomplete_fields = ()
    readonly_fields = ("view_count", "created_by", "created_at", "updated_at")
    actions = ("submit_for_review", "publish", "unpublish")
    fieldsets = (
        (None, {"fields": ("title", "slug", "category", "sapo", "body")}),
        ("Ảnh đại diện", {"fields": ("cover_image", "cover_caption")}),
        ("Xuất bản", {"fields": ("status", "publish_at", "featured", "author", "source")}),
        ("Thông tin", {"classes": ("collapse",), "fields": ("view_count", "created_by", "created_at", "updated_at")}),
    )

    def can_publish(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        can_publish = self.can_publish(request)

        class RequestArticleForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, can_publish=can_publish, **kw)

        return RequestArticleForm

    def has_change_permission(self, request, obj=None):
        if getattr(request, "revert_refused", False):
            return False
        # A published article belongs to the approvers: editors see it read-only.
        if obj is not None and obj.status == Article.Status.PUBLISHED and not self.can_publish(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Article.Status.PUBLISHED and not self.can_publish(request):
            return False
        return super().has_delete_permission(request, obj)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id, object_id=unquote(object_id))
        return super().revision_view(
            request, object_id, version_id, self._revert_context(request, version, extra_context)
        )

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id)
        return super().recover_view(request, version_id, self._revert_context(request, version, extra_context))

    def _revert_context(self, request, version, extra_context):
        """Decide whether reverting to `version` is allowed before django-reversion rewrites the rows.

        django-reversion reverts the whole revision inside a transaction and then runs the change
        form on the reverted row, so the permission checks there would see the revision's status,
        not the stored one. A refused revert shows the revision read-only and refuses the POST.
        """
        request.revert_refused = not self.may_revert(request, version.revision)
        return {**(extra_context or {}), "revert_refused": request.revert_refused}

    def may_revert(self, request, revision):
        """Reverting rewrites every object of `revision`: each must be one the user may change.

        Without the right to publish, no article the revision touches may be published now (its
        text, time or status would change) nor published in the revision (it would go public).
        """
        user = request.user
        for version in revision.version_set.select_related("content_type"):
            model = version.content_type.model_class()
            if model is None or not user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
                return False
            if model is not Article or self.can_publish(request):
                continue
            stored_status = Article.objects.filter(pk=version.object_id).values_list("status", flat=True).first()
            try:
                target_status = version.field_dict.get("status")
            except RevertError:
                return False
            if Article.Status.PUBLISHED in (stored_status, target_status):
                return False
        return True

    def changelist_view(self, request, extra_context=None):
        # VersionAdmin wraps the whole list view in one revision, for list_editable; articles have
        # none, and the list actions keep one revision per article so each article reverts alone.
        context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
        return super(VersionAdmin, self).changelist_view(request, context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.can_publish(request):
            actions.pop("publish", None)
            actions.pop("unpublish", None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Trạng thái", ordering="status")
    def status_badge(self, obj):
        label = obj.get_status_display()
        if obj.status == Article.Status.PUBLISHED and obj.publish_at > timezone.now():
            label = "Hẹn giờ"
        return label

    @admin.display(description="Xem")
    def preview_link(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener">Xem trước</a>', obj.get_absolute_url())

    @admin.action(description="Gửi duyệt các bài đã chọn", permissions=("change",))
    def submit_for_review(self, request, queryset):
        count = self._set_status(request, queryset.filter(status=Article.Status.DRAFT), Article.Status.PENDING)
        self.message_user(request, f"Đã gửi duyệt {count} bài viết.", messages.SUCCESS)

    @admin.action(description="Xuất bản các bài đã chọn")
    def publish(self, request, queryset):
        if not self.can_publish(request):
            raise PermissionDenied
        count = self._set_status(request, queryset.exclude(status=Article.Status.PUBLISHED), Article.Status.PUBLISHED)
        self.message_user(request, f"Đã xuất bản {count} bài viết.", messages.SUCCESS)

    @admin.action(description="Gỡ xuất bản (chuyển về chờ duyệt)")
    def unpublish(self, request, queryset):
        if not self.can_publish(request):
            raise PermissionDenied
        count = self._set_status(request, queryset.filter(status=Article.Status.PUBLISHED), Article.Status.PENDING)
        self.message_user(request, f"Đã gỡ {count} bài viết.", messages.SUCCESS)

    def _set_status(self, request, queryset, status):
        """Change status one article at a time, so signals fire and history records it."""
        label = Article.Status(status).label
        count = 0
        for article in queryset:
            with reversion.create_revision():
                article.status = status
                article.save()
                reversion.set_user(request.user)
                reversion.set_comment(f"Chuyển trạng thái: {label}")
            count += 1
        return count
