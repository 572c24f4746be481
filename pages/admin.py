from django.contrib import admin

from .models import ContactDetails, Leader, Page, ScheduleEntry


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "order", "is_published", "in_menu", "updated_at")
    list_editable = ("order", "is_published", "in_menu")
    list_filter = ("in_menu",)
    fields = ("title", "slug", "body", "order", "is_published", "in_menu")


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "phone", "email", "order", "is_active")
    list_editable = ("order", "is_active")
    fields = ("name", "title", "title_en", "photo", "phone", "email", "order", "is_active")


@admin.register(ContactDetails)
class ContactDetailsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not ContactDetails.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScheduleEntry)
class ScheduleEntryAdmin(admin.ModelAdmin):
    list_display = ("day", "time", "content", "host", "place", "is_published")
    list_filter = ("is_published", "day")
    search_fields = ("content", "host", "attendees", "place")
    date_hierarchy = "day"
    save_as = True  # a weekly meeting is copied to next week in one click
