from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from portal import personal_data
from portal.models import SiteSettings
from portal.phones import normalize_phone

from . import notify, pii, privacy
from .models import Feedback, FeedbackLog

LOGGED_FIELDS = ("status", "assignee", "internal_note", "answer", "public_title", "public_content")
PUBLIC_REQUIRED = "Cần có {} trước khi công khai trong Hỏi đáp."
PUBLIC_FIELDS = ("public_title", "public_content", "answer")
PERSONAL_DATA_FOUND = "Chưa thể công khai: còn thông tin cá nhân ({}). Vui lòng xoá trước khi công khai trong Hỏi đáp."


class FeedbackAdminForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ("status", "assignee", "internal_note", "answer", "public_title", "public_content")
        widgets = {"public_content": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.instance
        # The public text starts empty: staff write it, they do not copy the citizen's words (and contacts).
        # Only the statuses the workflow allows from here (the check in clean() stays the guard).
        if "status" in self.fields and item.pk:
            current = Feedback.Status(item.status)
            allowed = {current} | Feedback.TRANSITIONS[current]
            self.fields["status"].widget.choices = [(v, label) for v, label in Feedback.Status.choices if v in allowed]

    def clean(self):
        cleaned = super().clean()
        old = self.instance.status
        new = cleaned.get("status")
        if new == Feedback.Status.PUBLISHED:
            for name, label in (("public_title", "tiêu đề công khai"), ("public_content", "nội dung công khai")):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, PUBLIC_REQUIRED.format(label))
            site = SiteSettings.load()
            unit_contacts = {normalize_phone(site.phone), site.email.lower()} - {""}
            for name in PUBLIC_FIELDS:
                found = pii.find_personal_data(cleaned.get(name), unit_contacts)
                if found:
                    self.add_error(name, PERSONAL_DATA_FOUND.format(pii.describe(found)))
        if new and new != old and new not in Feedback.TRANSITIONS[Feedback.Status(old)]:
            self.add_error(
                "status",
                f"Không thể chuyển từ “{Feedback.Status(old).label}” sang “{Feedback.Status(new).label}”.",
            )
        if new in (Feedback.Status.ANSWERED, Feedback.Status.PUBLISHED) and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", "Cần nhập nội dung trả lời trước khi chuyển sang trạng thái này.")
        return cleaned


class FeedbackLogInline(admin.TabularInline):
    model = FeedbackLog
    fields = ("at", "user", "changes")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    form = FeedbackAdminForm
    list_display = ("code", "title", "name", "status", "assignee", "created_at")
    list_filter = ("status", "assignee", "created_at")
    search_fields = ("code", "title", "name", "phone", "email")
    list_select_related = ("assignee",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "code",
        "created_at",
        "name",
        "address",
        "phone",
        "email",
        "title",
        "content",
        "attachment_link",
        "answered_at",
        "closed_at",
        "consent_at",
        "consent_version",
        "consent_text",
        "personal_data_erased_at",
    )
    fieldsets = (
        ("Người gửi", {"fields": ("code", "created_at", "name", "address", "phone", "email")}),
        ("Góp ý", {"fields": ("title", "content", "attachment_link")}),
        ("Xử lý", {"fields": ("status", "assignee", "internal_note", "answer", "answered_at")}),
        (
            "Nội dung công khai trong Hỏi đáp",
            {
                "fields": ("public_title", "public_content"),
                "description": "Bản gốc của người dân ở trên được giữ nguyên. Hỏi đáp chỉ hiển thị câu hỏi do cán bộ "
                "viết lại dưới đây cùng nội dung trả lời, không kèm thông tin cá nhân: số điện thoại, thư điện tử, "
                "số CMND/CCCD sẽ bị từ chối khi chọn trạng thái Công khai.",
            },
        ),
    )
    inlines = (FeedbackLogInline,)
    actions = ("export_json", "export_csv", "erase_on_request")

    def get_fieldsets(self, request, obj=None):
        consent = (
            "Đồng ý xử lý dữ liệu cá nhân",
            {
                "classes": ("collapse",),
                "fields": ("consent_at", "consent_version", "consent_text", "closed_at", "personal_data_erased_at"),
            },
        )
        return (*super().get_fieldsets(request, obj), consent)

    def has_add_permission(self, request):
        return False  # feedback comes from citizens through the public form

    def _log(self, request, queryset, text):
        FeedbackLog.objects.bulk_create(
            FeedbackLog(feedback=item, user=request.user, changes=text) for item in queryset
        )

    @admin.action(description="Tải dữ liệu cá nhân đã chọn (JSON)", permissions=["change"])
    def export_json(self, request, queryset):
        self._log(request, queryset, "Xuất dữ liệu cá nhân (JSON) theo yêu cầu")
        return personal_data.export(queryset, privacy.EXPORT_FIELDS, "json", "du-lieu-gop-y")

    @admin.action(description="Tải dữ liệu cá nhân đã chọn (CSV)", permissions=["change"])
    def export_csv(self, request, queryset):
        self._log(request, queryset, "Xuất dữ liệu cá nhân (CSV) theo yêu cầu")
        return personal_data.export(queryset, privacy.EXPORT_FIELDS, "csv", "du-lieu-gop-y")

    @admin.action(description="Xoá dữ liệu cá nhân theo yêu cầu của người dân", permissions=["change"])
    def erase_on_request(self, request, queryset):
        def erase(item):
            item.erase_personal_data()
            FeedbackLog.objects.create(
                feedback=item, user=request.user, changes="Xoá dữ liệu cá nhân theo yêu cầu của người dân"
            )

        return personal_data.confirm_erase(self, request, queryset, erase)

    @admin.display(description="Tệp đính kèm")
    def attachment_link(self, obj):
        if not obj.attachment:
            return "Không có"
        return format_html('<a href="{}">Tải tệp đính kèm</a>', reverse("feedback:attachment", args=[obj.pk]))

    def save_model(self, request, obj, form, change):
        changes = []
        for name in form.changed_data:
            if name not in LOGGED_FIELDS:
                continue
            field = obj._meta.get_field(name)
            old = form.initial.get(name)
            if name == "status":
                old, new = Feedback.Status(old).label, obj.get_status_display()
            elif name == "assignee":
                old = str(field.related_model.objects.filter(pk=old).first() or "—")
                new = str(obj.assignee or "—")
            else:
                old, new = old or "—", getattr(obj, name) or "—"
            changes.append(f"{field.verbose_name}: {old} → {new}")
        newly_answered = obj.answered_at is None
        super().save_model(request, obj, form, change)
        if newly_answered and obj.answered_at and obj.email:
            # answered_at is set once, so the citizen gets exactly one mail; a failure only shows a warning.
            if not notify.answered(request, obj):
                self.message_user(
                    request, "Đã lưu, nhưng chưa gửi được thư báo kết quả cho người dân.", level=messages.WARNING
                )
        if changes:
            FeedbackLog.objects.create(feedback=obj, user=request.user, changes="\n".join(changes))


@admin.register(FeedbackLog)
class FeedbackLogAdmin(admin.ModelAdmin):
    list_display = ("feedback", "at", "user", "changes")
    list_select_related = ("feedback", "user")
    search_fields = ("feedback__code", "changes")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
