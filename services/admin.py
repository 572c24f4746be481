from datetime import datetime, time

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone

from portal import personal_data
from portal.phones import normalize_phone, validate_phone

from . import privacy
from .models import Dossier, DossierEvent, Procedure, ProcedureForm, Sector, ServiceSettings

# An address typed without a scheme ("dichvucong.gov.vn") is a secure one.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ServiceSettings)
class ServiceSettingsAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS

    def has_add_permission(self, request):
        return not ServiceSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)
    search_fields = ("name",)


class ProcedureFormInline(admin.TabularInline):
    model = ProcedureForm
    fields = ("title", "file", "download_count", "text_found")
    readonly_fields = ("download_count", "text_found")
    extra = 1


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "code", "sector", "level", "processing_time", "is_published")
    list_filter = ("is_published", "sector", "level")
    search_fields = ("name", "code")
    list_select_related = ("sector",)
    inlines = (ProcedureFormInline,)
    fieldsets = (
        (None, {"fields": ("name", "slug", "code", "sector", "level", "is_published")}),
        ("Nội dung", {"fields": ("processing_time", "fee", "requirements", "steps", "online_url")}),
    )


class DossierEventInline(admin.TabularInline):
    model = DossierEvent
    fields = ("at", "status", "note")
    extra = 1


class DossierAdminForm(forms.ModelForm):
    # Required here, blank in the table: dossiers received before the lookup needed it have none.
    applicant_phone = forms.CharField(
        label="Điện thoại người nộp",
        max_length=20,
        validators=[validate_phone],
        error_messages={"required": "Vui lòng nhập số điện thoại của người nộp: người dân cần 4 số cuối để tra cứu."},
        help_text=Dossier._meta.get_field("applicant_phone").help_text,
    )

    class Meta:
        model = Dossier
        fields = ("procedure", "applicant_name", "applicant_phone", "received_on", "due_on")

    def clean_applicant_phone(self):
        return normalize_phone(self.cleaned_data["applicant_phone"])


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    form = DossierAdminForm
    list_display = ("receipt_code", "procedure", "applicant_name", "received_on", "due_on", "status")
    list_filter = ("status", "procedure__sector", "received_on")
    search_fields = ("receipt_code", "applicant_name", "applicant_phone")
    list_select_related = ("procedure",)
    autocomplete_fields = ("procedure",)
    fields = ("receipt_code", "procedure", "applicant_name", "applicant_phone", "received_on", "due_on", "status")
    readonly_fields = ("receipt_code", "status")
    date_hierarchy = "received_on"
    inlines = (DossierEventInline,)
    actions = ("export_json", "export_csv", "erase_on_request")

    @admin.action(description="Tải dữ liệu cá nhân đã chọn (JSON)", permissions=["change"])
    def export_json(self, request, queryset):
        return personal_data.export(
            queryset.select_related("procedure"), privacy.EXPORT_FIELDS, "json", "du-lieu-ho-so"
        )

    @admin.action(description="Tải dữ liệu cá nhân đã chọn (CSV)", permissions=["change"])
    def export_csv(self, request, queryset):
        return personal_data.export(queryset.select_related("procedure"), privacy.EXPORT_FIELDS, "csv", "du-lieu-ho-so")

    @admin.action(description="Xoá dữ liệu cá nhân theo yêu cầu của người nộp", permissions=["change"])
    def erase_on_request(self, request, queryset):
        return personal_data.confirm_erase(self, request, queryset, Dossier.erase_personal_data)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        dossier = form.instance
        if not dossier.events.filter(status=Dossier.Status.RECEIVED).exists():
            # Every timeline starts with the receipt, at the start of the received day at the latest.
            first = dossier.events.order_by("at").first()
            start = timezone.make_aware(datetime.combine(dossier.received_on, time(7, 30)))
            at = min(start, first.at) if first else min(start, timezone.now())
            dossier.events.create(status=Dossier.Status.RECEIVED, at=at)
        dossier.sync_status()
