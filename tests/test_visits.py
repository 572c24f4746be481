import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from news.models import Article
from portal import redis as shared_redis
from stats import counters
from stats.models import DailyVisits, DeferredCount, VisitCounter
from tests.factories import make_article
from tests.live import free_port

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 3, 10, 9, 0, tzinfo=HCM)


def visitor(address="203.0.113.7"):
    return Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=address)


def figures(client, path="/"):
    """The sidebar's three figures as the visitor reads them."""
    html = client.get(path).content.decode()
    block = html.split('id="side-stats"')[1]
    found = dict(re.findall(r"<li>([^:<]+): <strong>(\d+)</strong></li>", block))
    return int(found["Lượt truy cập"]), int(found["Trực tuyến"]), int(found["Hôm nay"])


@pytest.mark.usefixtures("counter_store")
def test_block_shows_total_with_starting_offset_online_and_today():
    """The reference's block: total since launch plus the admin's starting total, online, today."""
    VisitCounter.objects.create(starting_total=2126124)
    html = visitor().get("/").content.decode()
    assert "Thống kê truy cập" in html
    assert "Lượt truy cập: <strong>2126125</strong>" in html
    assert "Trực tuyến: <strong>1</strong>" in html
    assert "Hôm nay: <strong>1</strong>" in html


@pytest.mark.usefixtures("counter_store")
def test_pages_within_a_visit_count_once():
    """One visitor reading three pages is one visit."""
    article = make_article()
    reader = visitor()
    figures(reader)
    figures(reader, article.get_absolute_url())
    assert figures(reader) == (1, 1, 1)


@pytest.mark.usefixtures("counter_store")
def test_a_visit_ends_after_thirty_minutes_without_activity():
    """Idle 29 minutes: same visit. Idle 30 minutes: the next page starts a new visit."""
    reader = visitor()
    with time_machine.travel(START, tick=False) as clock:
        assert figures(reader) == (1, 1, 1)
        clock.shift(timedelta(minutes=29))
        assert figures(reader) == (1, 1, 1)
        clock.shift(timedelta(minutes=30))
        assert figures(reader) == (2, 1, 2)


@pytest.mark.usefixtures("counter_store")
def test_steady_reading_is_one_visit():
    """A page every 20 minutes for two hours never leaves 30 minutes idle: one visit."""
    reader = visitor()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(7):
            figures(reader)
            clock.shift(timedelta(minutes=20))
        assert figures(reader)[0] == 1


@pytest.mark.usefixtures("counter_store")
def test_online_counts_visitors_of_the_last_five_minutes():
    """Online: distinct visitors with a request in the last 5 minutes."""
    first, second, third = visitor(), visitor(), visitor()
    with time_machine.travel(START, tick=False) as clock:
        figures(first)
        clock.shift(timedelta(minutes=2))
        figures(second)
        clock.shift(timedelta(minutes=2, seconds=59))
        assert figures(third)[1] == 3
        clock.shift(timedelta(seconds=2))  # the first visitor's request is now 5 minutes old
        assert figures(third)[1] == 2
        clock.shift(timedelta(minutes=5))
        assert figures(third)[1] == 1


@pytest.mark.usefixtures("counter_store")
def test_today_restarts_at_midnight_in_vietnam():
    """Hôm nay counts visits started since 00:00 Asia/Ho_Chi_Minh; a visit spanning midnight stays yesterday's."""
    night_owl, early_bird = visitor(), visitor()
    with time_machine.travel(datetime(2026, 3, 10, 23, 50, tzinfo=HCM), tick=False) as clock:
        assert figures(night_owl) == (1, 1, 1)
        clock.shift(timedelta(minutes=15))  # 00:05 on the 11th, same visit
        assert figures(night_owl) == (1, 1, 0)
        clock.shift(timedelta(minutes=1))
        assert figures(early_bird) == (2, 2, 1)
    counters.flush_pending()
    days = dict(DailyVisits.objects.values_list("day", "visits"))
    assert days == {datetime(2026, 3, 10).date(): 1, datetime(2026, 3, 11).date(): 1}


def test_midnight_is_vietnam_midnight_not_utc():
    """17:30 UTC is already the next day in Vietnam (UTC+7)."""
    moment = datetime(2026, 3, 10, 17, 30, tzinfo=ZoneInfo("UTC"))
    assert counters.local_day(moment) == datetime(2026, 3, 11).date()


@pytest.mark.usefixtures("counter_store")
def test_crawlers_are_not_visitors():
    """Bots neither add visits nor appear online."""
    Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; bingbot/2.0)").get("/")
    assert figures(visitor()) == (1, 1, 1)


@pytest.mark.usefixtures("counter_store")
def test_a_burst_of_new_visitors_from_one_address_is_served_but_stops_counting(settings):
    """A script (or a carrier's shared address) starting visit after visit: every page is served,
    the figures stop moving beyond the rate, and another address is not affected."""
    settings.ENGAGEMENT_COUNT_RATE = "5/m"
    for _ in range(5):
        assert visitor().get("/").status_code == 200
    response = visitor().get("/")
    assert response.status_code == 200
    assert "Bạn thao tác quá nhanh" not in response.content.decode()
    counters.flush_pending()
    assert sum(DailyVisits.objects.values_list("visits", flat=True)) == 5
    assert figures(visitor("198.51.100.9"))[0] == 6


@pytest.mark.usefixtures("counter_store")
def test_two_hundred_new_readers_behind_one_address_all_get_the_article(settings):
    """CGNAT, a school, a commune office: 200 new readers of one article from one address within a
    minute all get the article (200, its text); only the counting stops at the engagement rate."""
    # Within one minute of the limit's window, however slowly a loaded machine runs them.
    with time_machine.travel(START, tick=False):
        article = make_article("Thông báo lịch tiếp công dân tháng 12")
        answers = [visitor().get(article.get_absolute_url()) for _ in range(200)]
    assert [response.status_code for response in answers] == [200] * 200
    assert all("Thông báo lịch tiếp công dân tháng 12" in response.content.decode() for response in answers)
    counters.flush_pending()
    limit = int(settings.ENGAGEMENT_COUNT_RATE.split("/")[0])
    assert Article.objects.get(pk=article.pk).view_count == limit


@pytest.mark.usefixtures("counter_store")
def test_known_visitor_keeps_reading_when_the_address_is_limited(settings):
    """Limits hit new visits and views only, and never reading: everyone still gets pages."""
    settings.ENGAGEMENT_COUNT_RATE = "2/m"
    reader = visitor()
    assert reader.get("/").status_code == 200
    visitor().get("/")
    assert visitor().get("/").status_code == 200
    assert reader.get("/").status_code == 200


def test_stopped_redis_means_slower_not_broken(settings):
    """REDIS_URL pointing at nothing: pages answer 200; the requests are kept for Redis, and once it
    has been away LIVE_OUTAGE_SECONDS the database counts them (the flusher's round)."""
    settings.REDIS_URL = settings.PAGE_CACHE_REDIS_URL = settings.COUNTERS_REDIS_URL = (
        f"redis://127.0.0.1:{free_port()}/0"
    )
    settings.LIVE_OUTAGE_SECONDS = 0
    shared_redis.reset()
    article = make_article()
    try:
        assert visitor().get(article.get_absolute_url()).status_code == 200
        assert visitor().get(article.get_absolute_url()).status_code == 200
        assert visitor().get("/").status_code == 200
        assert DeferredCount.objects.count() == 3
        assert counters.replay_deferred() == 3
        response = visitor().get(article.get_absolute_url())
        assert response.status_code == 200 and "2 lượt xem" in response.content.decode()
    finally:
        shared_redis.reset()
    assert sum(DailyVisits.objects.values_list("visits", flat=True)) == 3


def test_staff_see_thirty_days_of_visits_in_admin(admin_client):
    """Admin: a 30-day chart with the numbers as text, and the daily list."""
    today = counters.local_day(counters.timezone.now())
    DailyVisits.objects.create(day=today - timedelta(days=3), visits=1407)
    DailyVisits.objects.create(day=today - timedelta(days=40), visits=999)
    html = admin_client.get("/admin/stats/dailyvisits/").content.decode()
    assert "Lượt truy cập 30 ngày gần nhất" in html
    assert html.count('<th scope="row">') == 30
    assert "1407" in html
    chart = html.split("visit-chart")[1].split("</figure>")[0]
    assert "999" not in chart


@pytest.mark.usefixtures("counter_store")
def test_starting_total_is_set_in_admin(admin_client):
    """The carried-over total is edited in admin and shows in the block."""
    response = admin_client.post("/admin/stats/visitcounter/add/", {"starting_total": "2126124"})
    assert response.status_code == 302
    assert VisitCounter.objects.get().starting_total == 2126124
    assert figures(visitor())[0] == 2126125
    admin_client.post(f"/admin/stats/visitcounter/{VisitCounter.objects.get().pk}/change/", {"starting_total": "100"})
    assert figures(visitor())[0] == 102
