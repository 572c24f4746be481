from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import StaffDevice

# django-otp's own page shows the secret key and speaks English; staff get the one below.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(StaffDevice)
class StaffDeviceAdmin(admin.ModelAdmin):
    """Who has set up an authenticator app. Deleting a row lets its owner set up a new one (lost phone)."""

    list_display = ("owner", "state", "created", "last_used")
    list_display_links = None
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    fields = readonly_fields = ("owner", "state", "created", "last_used")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="Người dùng", ordering="user__username")
    def owner(self, device):
        return device.user

    @admin.display(description="Trạng thái", ordering="confirmed")
    def state(self, device):
        return "Đang dùng" if device.confirmed else "Chưa xác nhận (đang thiết lập)"

    @admin.display(description="Ngày thiết lập", ordering="created_at")
    def created(self, device):
        return device.created_at

    @admin.display(description="Lần dùng gần nhất", ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
