from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import urlparse

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from portal.html import sanitize_body

from . import history, notify, workflow
from .models import Article, ArticleTransition, Category
from .workflow import PUBLISH_PERMISSION


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


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def images_without_alt(html):
    """(position, file name) of each image in `html` with no or blank alt text, counting from 1."""
    parser = _Images()
    parser.feed(html or "")
    return [
        (number, PurePosixPath(urlparse(image.get("src") or "").path).name or "không tên")
        for number, image in enumerate(parser.images, start=1)
        if not (image.get("alt") or "").strip()
    ]


class BodyField(forms.CharField):
    """The editor posts the body back re-serialised; only a change that survives sanitising is a change."""

    def has_changed(self, initial, data):
        return sanitize_body(initial or "").strip() != sanitize_body(self.to_python(data)).strip()


class ArticleForm(forms.ModelForm):
    """The article's content; its status and time change only through a workflow button (news.workflow)."""

    review_comment = forms.CharField(
        label="Góp ý / ghi chú",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Bắt buộc khi trả lại bài: người viết nhận được góp ý này.",
    )
    schedule_at = forms.SplitDateTimeField(
        label="Giờ đăng", required=False, widget=AdminSplitDateTime, help_text="Dùng cho nút “Hẹn giờ”."
    )

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
            "featured",
            "author",
            "source",
        )
        field_classes = {"body": BodyField}

    def __init__(self, *args, transition=None, stored=(None, None), lock_row=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.stored = stored
        self.state = workflow.state_of(*stored)
        self.lock_row = lock_row
        if "category" in self.fields:
            self.fields["category"].queryset = categories_in_tree_order()
        if "body" in self.fields:
            # CKEditor hides the textarea; a hidden `required` field would block the browser's submit
            # without a visible message. The server still requires a body and says so in Vietnamese.
            self.fields["body"].widget.use_required_attribute = lambda initial: False
        if self.instance.publish_at and self.state == workflow.SCHEDULED:
            self.fields["schedule_at"].initial = self.instance.publish_at

    def clean_body(self):
        body = self.cleaned_data["body"]
        missing = images_without_alt(body)
        if missing:
            raise forms.ValidationError(
                [
                    f"Ảnh thứ {number} ({name}) chưa có chữ mô tả: chọn ảnh, bấm “Đổi chữ alt của ảnh” và tả"
                    " ngắn gọn ảnh cho người không xem được ảnh."
                    for number, name in missing
                ]
            )
        return body

    def clean(self):
        cleaned = super().clean()
        transition = self.transition
        if transition is None:
            return cleaned
        if self.lock_row and self.instance.pk:
            # The admin saves inside a transaction: lock the row and judge the button on its state
            # now, so two approvers pressing at once cannot both act on what they saw.
            locked = Article.objects.select_for_update().filter(pk=self.instance.pk)
            self.stored = locked.values_list("status", "publish_at").first() or self.stored
            self.state = workflow.state_of(*self.stored)
        if self.state not in transition.sources:
            raise forms.ValidationError(
                f"Bài đang ở trạng thái “{workflow.STATE_LABELS[self.state]}”: không thể “{transition.label}”."
                " Hãy tải lại trang để xem trạng thái mới."
            )
        if transition.comment_required and not cleaned.get("review_comment", "").strip():
            self.add_error("review_comment", "Hãy ghi góp ý để người viết biết cần sửa gì.")
        if transition.name == "schedule":
            when = cleaned.get("schedule_at")
            if when is None and "schedule_at" not in self.errors:
                self.add_error("schedule_at", "Hãy chọn ngày và giờ đăng bài.")
            elif when is not None and when <= timezone.now():
                self.add_error("schedule_at", "Giờ hẹn đăng phải ở sau lúc này; muốn đăng ngay, bấm “Xuất bản”.")
        return cleaned


class WorkflowStateFilter(admin.SimpleListFilter):
    title = "Trạng thái"
    parameter_name = "trang_thai"

    def lookups(self, request, model_admin):
        return [
            (state, workflow.STATE_LABELS[state])
            for state in (Article.Status.DRAFT, Article.Status.RETURNED, Article.Status.PENDING)
        ] + [(workflow.SCHEDULED, "Hẹn giờ"), (Article.Status.PUBLISHED, "Đang đăng")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == workflow.SCHEDULED:
            return queryset.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
        if self.value() == Article.Status.PUBLISHED:
            return queryset.published()
        if self.value() in Article.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = "Người viết"
    parameter_name = "cua_toi"

    def lookups(self, request, model_admin):
        return [("1", "Của tôi")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(created_by=request.user)
        return queryset


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleForm

    class Media:
        css = {"all": ("css/newsroom-admin.css",)}
        js = ("js/newsroom-admin.js",)

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
    list_filter = (WorkflowStateFilter, MineFilter, "featured", "category", "publish_at")
    search_fields = ("title", "sapo", "author")
    date_hierarchy = "publish_at"
    list_select_related = ("category__parent",)
    readonly_fields = (
        "workflow_state",
        "publish_at",
        "view_count",
        "created_by",
        "created_at",
        "updated_at",
        "body_as_read",
    )
    actions = ("submit_for_review", "publish", "unpublish")
    fieldsets = (
        (None, {"fields": ("title", "slug", "category", "sapo", "body")}),
        ("Ảnh đại diện", {"fields": ("cover_image", "cover_caption")}),
        ("Xuất bản", {"fields": ("workflow_state", "publish_at", "featured", "author", "source")}),
        ("Thông tin", {"classes": ("collapse",), "fields": ("view_count", "created_by", "created_at", "updated_at")}),
    )

    object_history_template = "admin/news/article/object_history.html"

    def can_publish(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def get_urls(self):
        compare = path(
            "<path:object_id>/history/compare/<int:old_id>/<int:new_id>/",
            self.admin_site.admin_view(self.compare_view),
            name="news_article_compare",
        )
        return [compare, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        """django-reversion's list of revisions, each with a link to what it changed."""
        object_id = unquote(object_id)
        versions = self._reversion_order_version_queryset(
            request, Version.objects.get_for_object_reference(Article, object_id).select_related("revision__user")
        )
        actions, earlier = [], None
        for version in versions:
            actions.append(
                {
                    "revision": version.revision,
                    "url": reverse("admin:news_article_revision", args=[object_id, version.pk]),
                    "compare_url": earlier
                    and reverse("admin:news_article_compare", args=[object_id, earlier.pk, version.pk]),
                }
            )
            earlier = version
        return super().history_view(request, object_id, {**(extra_context or {}), "action_list": actions})

    def compare_view(self, request, object_id, old_id, new_id):
        """What changed from one revision of the article to another: fields, and the body word by word."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("Không có bài viết này.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        old, new = get_object_or_404(versions, pk=old_id), get_object_or_404(versions, pk=new_id)
        try:
            changes = history.compare(old, new)
        except RevertError:
            raise Http404("Phiên bản này không còn đọc được.") from None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": article,
            "title": f"So sánh hai phiên bản: {article}",
            "old": old,
            "new": new,
            "changes": changes,
        }
        return TemplateResponse(request, "admin/news/article/compare.html", context)

    # The workflow state is the stored row's. The history views revert the row before the change
    # form runs, so they note the stored state first (see _revert_context).

    def stored_state(self, request, obj):
        return workflow.state_of(*self.stored_values(request, obj))

    def stored_values(self, request, obj):
        """(status, publish_at) of the stored row, (None, None) for a new article."""
        if obj is None or obj.pk is None:
            return None, None
        return getattr(request, "stored_articles", {}).get(obj.pk, (obj.status, obj.publish_at))

    def requested_transition(self, request, state):
        """The button pressed; a form posted without one saves and keeps the state."""
        name = request.POST.get("_transition")
        if name is None:
            keep = "save_draft" if state in workflow.WRITABLE else "save"
            name = keep if workflow.may_ever(request.user, workflow.TRANSITIONS[keep]) else "save_draft"
        transition = workflow.TRANSITIONS.get(name)
        if transition is None or not workflow.may_ever(request.user, transition):
            raise PermissionDenied
        return transition

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        stored = self.stored_values(request, obj)
        transition = (
            self.requested_transition(request, workflow.state_of(*stored)) if request.method == "POST" else None
        )
        # The history views noted the stored row before reverting it: that row is not re-read.
        lock_row = obj is not None and obj.pk not in getattr(request, "stored_articles", {})

        class RequestArticleForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, transition=transition, stored=stored, lock_row=lock_row, **kw)

        return RequestArticleForm

    def has_change_permission(self, request, obj=None):
        if getattr(request, "revert_refused", False):
            return False
        if not super().has_change_permission(request, obj):
            return False
        # Whoever has no button for the article's state sees it read-only: editors a submitted or
        # published article, which belongs to the approvers.
        return obj is None or bool(workflow.available(request.user, self.stored_state(request, obj)))

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
        The stored status and time are noted too: a revert restores the content, and the state
        then changes only by the button pressed.
        """
        request.stored_articles = {
            pk: (status, publish_at)
            for pk, status, publish_at in Article.objects.filter(pk=version.object_id).values_list(
                "pk", "status", "publish_at"
            )
        }
        request.stored_articles.setdefault(int(version.object_id), (None, None))
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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        state = self.stored_state(request, obj)
        may_save = self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        buttons = workflow.available(request.user, state) if may_save else []
        context.update(
            workflow_buttons=buttons,
            workflow_names={t.name for t in buttons},
            workflow_label=workflow.STATE_LABELS[state],
            workflow_steps=obj.transitions.select_related("user")[:5] if obj is not None and obj.pk else [],
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        transition = form.transition
        stored_status, stored_publish_at = form.stored
        obj.status, obj.publish_at = workflow.outcome(
            transition, stored_status, stored_publish_at, when=form.cleaned_data.get("schedule_at")
        )
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        comment = form.cleaned_data.get("review_comment", "").strip()
        step = workflow.record(obj, transition, stored_status, request.user, comment)
        request.article_step = (transition, comment, step)

    def _log_step(self, request, entry):
        transition, comment, step = request.article_step
        if step is not None and reversion.is_active():
            reversion.set_comment(f"{workflow.revision_comment(transition, comment)}. {entry.get_change_message()}")

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._log_step(request, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._log_step(request, entry)
        return entry

    def _after_save(self, request, obj):
        transition, _, step = request.article_step
        message = workflow.done_message(transition, obj)
        if step is not None:
            told = notify.after_transition(request, step)
            if told:
                message += f" Đã báo qua thư cho {told} người."
        self.message_user(request, message, messages.SUCCESS)
        if transition.name == "save_draft" or "_continue" in request.POST:
            return HttpResponseRedirect(reverse("admin:news_article_change", args=[obj.pk]))
        return self.response_post_save_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj)

    def response_change(self, request, obj):
        return self._after_save(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only, the body is shown as the reader will see it, not as HTML source.
        return [
            (name, {**options, "fields": tuple("body_as_read" if f == "body" else f for f in options["fields"])})
            for name, options in fieldsets
        ]

    @admin.display(description="Nội dung")
    def body_as_read(self, obj):
        # Stored bodies were sanitised on save; sanitising again costs little and trusts nothing.
        return format_html('<div class="ck-content article-body-preview">{}</div>', mark_safe(sanitize_body(obj.body)))

    @admin.display(description="Trạng thái")
    def workflow_state(self, obj):
        return workflow.STATE_LABELS[workflow.state_of(obj.status, obj.publish_at) if obj.pk else workflow.NEW]

    @admin.display(description="Trạng thái", ordering="status")
    def status_badge(self, obj):
        return workflow.STATE_LABELS[workflow.state_of(obj.status, obj.publish_at)]

    @admin.display(description="Xem")
    def preview_link(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener">Xem trước</a>', obj.get_absolute_url())

    @admin.action(description="Gửi duyệt các bài đã chọn", permissions=("change",))
    def submit_for_review(self, request, queryset):
        count = self._take(request, queryset, "submit")
        self.message_user(request, f"Đã gửi duyệt {count} bài viết.", messages.SUCCESS)

    @admin.action(description="Xuất bản các bài đã chọn")
    def publish(self, request, queryset):
        count = self._take(request, queryset, "publish")
        self.message_user(request, f"Đã xuất bản {count} bài viết.", messages.SUCCESS)

    @admin.action(description="Gỡ các bài đã chọn (về bản nháp)")
    def unpublish(self, request, queryset):
        count = self._take(request, queryset, "unpublish")
        self.message_user(request, f"Đã gỡ {count} bài viết.", messages.SUCCESS)

    def _take(self, request, queryset, name):
        """Take one transition for each article it applies to, each with its own revision and mail."""
        transition = workflow.TRANSITIONS[name]
        if not workflow.may_ever(request.user, transition):
            raise PermissionDenied
        count = 0
        for article in queryset:
            if workflow.state_of(article.status, article.publish_at) not in transition.sources:
                continue
            from_status = article.status
            with reversion.create_revision():
                article.status, article.publish_at = workflow.outcome(transition, article.status, article.publish_at)
                article.save()
                reversion.set_user(request.user)
                reversion.set_comment(workflow.revision_comment(transition))
                step = workflow.record(article, transition, from_status, request.user)
            notify.after_transition(request, step)
            count += 1
        return count


@admin.register(ArticleTransition)
class ArticleTransitionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "article", "action", "from_status", "to_status", "user", "comment")
    list_filter = ("action", "to_status")
    list_select_related = ("article", "user")
    search_fields = ("article__title", "comment")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
