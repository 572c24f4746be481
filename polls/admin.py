from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .models import Choice, Poll, Vote


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ("text", "order", "votes")
    extra = 3
    min_num = 2
    validate_min = True

    def get_readonly_fields(self, request, obj=None):
        # A starting count may be set when the poll is made; afterwards only votes move it.
        return ("votes",) if obj is not None else ()


class StateFilter(admin.SimpleListFilter):
    title = "Tình trạng"
    parameter_name = "tinh-trang"

    def lookups(self, request, model_admin):
        return (("open", "Đang mở"), ("scheduled", "Chưa bắt đầu"), ("closed", "Đã kết thúc"))

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "open":
            return queryset.filter(opens_at__lte=now).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        if self.value() == "scheduled":
            return queryset.filter(opens_at__gt=now)
        if self.value() == "closed":
            return queryset.filter(closes_at__lte=now)
        return queryset


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ("question", "kind", "opens_at", "closes_at", "is_active", "state", "results_column")
    list_filter = ("is_active", StateFilter, "kind", "opens_at")
    search_fields = ("question", "choices__text")
    date_hierarchy = "opens_at"
    fieldsets = (
        (None, {"fields": ("question", "kind", "is_active")}),
        ("Thời gian", {"fields": ("opens_at", "closes_at")}),
    )
    inlines = (ChoiceInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("choices")

    def save_formset(self, request, form, formset, change):
        if formset.model is not Choice:
            return super().save_formset(request, form, formset, change)
        for choice in formset.save(commit=False):
            if choice.pk:
                # Never write back a count read before votes arrived meanwhile.
                choice.save(update_fields=["text", "order"])
            else:
                choice.save()
        for choice in formset.deleted_objects:
            choice.delete()

    @admin.display(description="Tình trạng")
    def state(self, poll):
        if not poll.is_active:
            return "Đang ẩn"
        if not poll.has_started():
            return "Chưa bắt đầu"
        if poll.has_ended():
            return "Đã kết thúc"
        return "Đang mở"

    @admin.display(description="Kết quả")
    def results_column(self, poll):
        results = poll.results()
        rows = format_html_join(
            "", "<li>{}: {} ({})</li>", ((row.choice.text, row.votes, row.percent_text) for row in results.rows)
        )
        return format_html('<ul class="poll-admin-results">{}</ul><strong>Tổng: {}</strong>', rows, results.total)


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    """Read-only audit trail of votes; counts are changed only by voting."""

    list_display = ("poll", "visitor_id", "created_at")
    list_filter = ("poll",)
    list_select_related = ("poll",)
    search_fields = ("visitor_id",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
