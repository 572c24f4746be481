from django.contrib import admin

from .models import Rating, RatingSummary


@admin.register(RatingSummary)
class RatingSummaryAdmin(admin.ModelAdmin):
    list_display = ("article", "votes", "average_display")
    list_select_related = ("article",)
    search_fields = ("article__title",)
    readonly_fields = ("article", "score_sum", "votes")

    @admin.display(description="Điểm trung bình")
    def average_display(self, obj):
        return f"{obj.average:.1f}".replace(".", ",")

    def has_add_permission(self, request):
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("article", "score", "updated_at")
    list_filter = ("score",)
    list_select_related = ("article",)
    search_fields = ("article__title",)
    readonly_fields = ("article", "visitor_id", "score", "created_at", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
