"""Demo visit figures: the reference portal's carried-over total and 30 days of daily visits."""

import random
from datetime import timedelta

from django.utils import timezone

from .counters import forget_all
from .figures import local_day
from .models import DailyVisits, VisitCounter

STARTING_TOTAL = 2126124


def seed(log):
    counter = VisitCounter.load()
    if counter.starting_total == 0:
        counter.starting_total = STARTING_TOTAL
        counter.save()
        log(f"Đặt số lượt truy cập ban đầu {STARTING_TOTAL}")
    today = local_day(timezone.now())
    if not DailyVisits.objects.exists():
        rng = random.Random(2126124)
        DailyVisits.objects.bulk_create(
            DailyVisits(day=today - timedelta(days=n), visits=rng.randint(900, 1600)) for n in range(1, 31)
        )
        log("Tạo lượt truy cập 30 ngày gần nhất")
    forget_all()


def seed_unit(unit, log):
    """A smaller carried-over total and 30 days of visits (portal.demo)."""
    counter = VisitCounter.load()
    if counter.starting_total == 0:
        counter.starting_total = 10_000 + 1_000 * len(unit.name)
        counter.save()
    today = local_day(timezone.now())
    if not DailyVisits.objects.exists():
        rng = random.Random(unit.code)
        DailyVisits.objects.bulk_create(
            DailyVisits(day=today - timedelta(days=n), visits=rng.randint(40, 160)) for n in range(1, 31)
        )
        log(f"{unit}: tạo lượt truy cập 30 ngày gần nhất")
    forget_all()
