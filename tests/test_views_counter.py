from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from news.models import Article
from stats.counters import flush_pending
from tests.factories import make_article, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("counter_store")]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
START = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def visitor():
    return Client(HTTP_USER_AGENT=BROWSER)


def views_shown(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return int(html.split('<span class="article__views">')[1].split(" lượt xem")[0].replace(".", ""))


def test_new_visitor_adds_one_view_and_reload_adds_none():
    """First view shows `1 lượt xem`; the same visitor reloading stays at 1; a second visitor makes 2."""
    article = make_article()
    reader = visitor()
    assert views_shown(reader, article) == 1
    assert views_shown(reader, article) == 1
    assert views_shown(visitor(), article) == 2
    flush_pending()
    article.refresh_from_db()
    assert article.view_count == 2


def test_page_shows_views_like_the_reference():
    """The meta line reads `148 lượt xem` for an article seen 147 times before."""
    article = make_article(view_count=147)
    html = visitor().get(article.get_absolute_url()).content.decode()
    assert '<span class="article__views">148 lượt xem</span>' in html


def test_reload_within_thirty_minutes_is_not_a_new_view():
    """Back after 29 minutes: same view; back after 30 minutes without reading it: a new view."""
    reader = visitor()
    with time_machine.travel(START, tick=False) as clock:
        article = make_article(days=1)
        assert views_shown(reader, article) == 1
        clock.shift(timedelta(minutes=29, seconds=59))
        assert views_shown(reader, article) == 1
        clock.shift(timedelta(minutes=30))
        assert views_shown(reader, article) == 2


def test_reloading_every_twenty_minutes_stays_one_view():
    """The 30 minutes run from the visitor's last reload of the article."""
    reader = visitor()
    with time_machine.travel(START, tick=False) as clock:
        article = make_article(days=1)
        for _ in range(5):
            assert views_shown(reader, article) == 1
            clock.shift(timedelta(minutes=20))


def test_views_of_different_articles_count_separately():
    """One visitor reading two articles gives each one view."""
    first, second = make_article("Bài một"), make_article("Bài hai")
    reader = visitor()
    assert views_shown(reader, first) == 1
    assert views_shown(reader, second) == 1


def test_crawlers_do_not_count():
    """Search engine bots and clients without a user agent add no view."""
    article = make_article()
    Client(HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)").get(article.get_absolute_url())
    Client().get(article.get_absolute_url())
    flush_pending()
    article.refresh_from_db()
    assert article.view_count == 0
    assert views_shown(visitor(), article) == 1


def test_cached_page_still_shows_the_exact_count():
    """The page cache does not freeze the number: each new visitor sees it move by one."""
    article = make_article()
    for expected in range(1, 6):
        assert views_shown(visitor(), article) == expected


def test_staff_preview_of_a_draft_counts_no_view():
    """Editors previewing a draft do not add views."""
    article = make_article(status=Article.Status.DRAFT)
    editor = Client(HTTP_USER_AGENT=BROWSER)
    editor.force_login(make_staff("bientap", superuser=True))
    assert editor.get(article.get_absolute_url()).status_code == 200
    flush_pending()
    article.refresh_from_db()
    assert article.view_count == 0


def test_home_page_adds_no_article_view():
    """Listing an article is not viewing it."""
    article = make_article()
    visitor().get("/")
    flush_pending()
    article.refresh_from_db()
    assert article.view_count == 0
