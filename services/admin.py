from datetime import datetime, time

from django.contrib import admin
from django.db import models
from django.utils import timezone

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


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("receipt_code", "procedure", "applicant_name", "received_on", "due_on", "status")
    list_filter = ("status", "procedure__sector", "received_on")
    search_fields = ("receipt_code", "applicant_name")
    list_select_related = ("procedure",)
    autocomplete_fields = ("procedure",)
    readonly_fields = ("status",)
    date_hierarchy = "received_on"
    inlines = (DossierEventInline,)

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
