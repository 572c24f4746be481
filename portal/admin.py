from django.contrib import admin

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = (
        ("Đơn vị", {"fields": ("site_title", "unit_level", "unit_name", "emblem", "welcome_line")}),
        ("Chân trang", {"fields": ("agency", "address", "phone", "email", "responsible_person", "licence")}),
        ("Dữ liệu cá nhân", {"fields": ("personal_data_retention_months",)}),
        ("Giám sát EMC", {"classes": ("collapse",), "fields": ("emc_enabled", "emc_snippet")}),
    )

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
