"""Demo visit figures: the reference portal's carried-over total and 30 days of daily visits."""

import random
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from news.models import Article

from .counters import forget_all, local_day
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
    # Only articles readers can open have been read: drafts and scheduled ones stay at 0.
    unpublished = Article.objects.exclude(pk__in=Article.objects.published().values("pk"))
    unpublished.filter(view_count__gt=0).update(view_count=0)
    if not Article.objects.filter(view_count__gt=0).exists():
        rng = random.Random(148)
        for article in Article.objects.published().only("id"):
            Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + rng.randint(40, 400))
        log("Đặt lượt xem mẫu cho bài viết")
    forget_all()
