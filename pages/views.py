import datetime

from django.db.models import Max, Min
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from portal.dates import WEEKDAYS

from .models import ContactDetails, Leader, Page, ScheduleEntry

INTRO = "Giới thiệu"


def _intro_nav():
    return list(Page.objects.published().filter(in_menu=True).only("title", "slug"))


def introduction(request, slug=None):
    pages = _intro_nav()
    if slug is None:
        if not pages:
            raise Http404("Chưa có trang giới thiệu.")
        page = Page.objects.get(pk=pages[0].pk)
        crumbs = [(INTRO, None)]
    else:
        page = get_object_or_404(Page.objects.published(), slug=slug)
        crumbs = [(INTRO, reverse("pages:intro")), (page.title, None)]
    return render(request, "pages/page.html", {"page": page, "pages": pages, "crumbs": crumbs})


def leaders(request):
    context = {
        "leaders": Leader.objects.published(),
        "pages": _intro_nav(),
        "section": "leaders",
        "crumbs": [(INTRO, reverse("pages:intro")), ("Lãnh đạo", None)],
    }
    return render(request, "pages/leaders.html", context)


def contact(request):
    context = {
        "contact": ContactDetails.load(),
        "leaders": Leader.objects.published(),
        "crumbs": [("Liên hệ", None)],
    }
    return render(request, "pages/contact.html", context)


def contact_en(request):
    return render(
        request, "pages/contact_en.html", {"contact": ContactDetails.load(), "leaders": Leader.objects.published()}
    )


def parse_week(value, today):
    """Monday of the ISO week "2026-W48"; this week when empty; None when unreadable."""
    if not value:
        return today - datetime.timedelta(days=today.weekday())
    try:
        return datetime.datetime.strptime(value + "-1", "%G-W%V-%u").date()
    except ValueError:
        return None


def week_param(monday):
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _schedule_bounds(today):
    """Mondays of the first and last weeks worth a link: from the earliest published entry (or this week)
    to the latest one (or next week), so "Tuần trước" / "Tuần sau" never lead into empty years."""
    this_monday = parse_week("", today)
    span = ScheduleEntry.objects.filter(is_published=True).aggregate(first=Min("day"), last=Max("day"))
    first = min(filter(None, (span["first"], this_monday)))
    last = max(filter(None, (span["last"], this_monday + datetime.timedelta(days=7))))
    return first - datetime.timedelta(days=first.weekday()), last - datetime.timedelta(days=last.weekday())


def schedule(request):
    today = timezone.localdate()
    monday = parse_week(request.GET.get("tuan", ""), today)
    error = ""
    if monday is None or not (2000 <= monday.year <= 2100):
        error = "Tuần không hợp lệ (ví dụ đúng: 2026-W48). Đang hiển thị lịch tuần này."
        monday = parse_week("", today)
    sunday = monday + datetime.timedelta(days=6)
    first, last = _schedule_bounds(today)
    entries = list(ScheduleEntry.objects.filter(is_published=True, day__range=(monday, sunday)))
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        days.append(
            {
                "date": day,
                "weekday": WEEKDAYS[day.weekday()],
                "entries": [e for e in entries if e.day == day],
                "is_today": day == today,
            }
        )
    _, week_number, _ = monday.isocalendar()
    context = {
        "days": days,
        "monday": monday,
        "sunday": sunday,
        "week_number": week_number,
        "previous_week": week_param(monday - datetime.timedelta(days=7)) if monday > first else "",
        "next_week": week_param(monday + datetime.timedelta(days=7)) if monday < last else "",
        "is_current_week": monday <= today <= sunday,
        "pages": _intro_nav(),
        "section": "schedule",
        "crumbs": [(INTRO, reverse("pages:intro")), ("Lịch công tác", None)],
        "error": error,
    }
    return render(request, "pages/schedule.html", context, status=400 if error else 200)
