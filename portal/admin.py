from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = (
        ("Đơn vị", {"fields": ("site_title", "unit_level", "unit_name", "emblem", "welcome_line")}),
        ("Chân trang", {"fields": ("agency", "address", "phone", "email", "responsible_person", "licence")}),
        ("Dữ liệu cá nhân", {"fields": ("personal_data_retention_months",)}),
        ("Giám sát EMC", {"classes": ("collapse",), "fields": ("emc_enabled", "emc_snippet")}),
    )

    def changelist_view(self, request, extra_context=None):
        # One row: open its form instead of a list of one.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect("admin:portal_sitesettings_change", SiteSettings.load().pk)

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
