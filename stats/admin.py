from datetime import timedelta

from django.contrib import admin
from django.utils import timezone

from .counters import local_day
from .models import DailyVisits, VisitCounter


@admin.register(VisitCounter)
class VisitCounterAdmin(admin.ModelAdmin):
    list_display = ("__str__", "starting_total")
    fields = ("starting_total",)

    def has_add_permission(self, request):
        return not VisitCounter.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DailyVisits)
class DailyVisitsAdmin(admin.ModelAdmin):
    """Daily totals, read-only, with a chart of the last 30 days above the list."""

    list_display = ("day", "visits")
    date_hierarchy = "day"
    change_list_template = "admin/stats/dailyvisits/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, extra_context={**(extra_context or {}), "chart": last_days(30)})


def last_days(days):
    """[(day, visits, percent of the busiest day)] for the last `days` days, oldest first, zeros included."""
    today = local_day(timezone.now())
    first = today - timedelta(days=days - 1)
    counts = dict(DailyVisits.objects.filter(day__gte=first, day__lte=today).values_list("day", "visits"))
    series = [(first + timedelta(days=n), counts.get(first + timedelta(days=n), 0)) for n in range(days)]
    peak = max((visits for _, visits in series), default=0) or 1
    return [(day, visits, round(visits * 100 / peak)) for day, visits in series]
