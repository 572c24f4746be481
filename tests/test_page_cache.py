import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from news.models import Article, Category
from portal.models import SiteSettings
from stats import counters
from tests.factories import make_article, make_category, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("counter_store")]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


def visitor():
    return Client(HTTP_USER_AGENT=BROWSER)


def html(path, client=None):
    response = (client or visitor()).get(path)
    assert response.status_code == 200
    return response.content.decode()


def cookie_attributes(response, name):
    """What a cookie says besides its value and the moment it expires."""
    morsel = response.cookies[name]
    return {attribute: morsel[attribute] for attribute in ("max-age", "httponly", "samesite", "secure", "path")}


HIT_QUERIES = {"database": 2, "redis": 0}  # presence upsert + figures; Redis: none once warm


def test_home_is_served_from_the_cache(counter_store, django_assert_max_num_queries, settings):
    """A second anonymous request does not run the view: only the counting and the live figures."""
    settings.LIVE_DIRTY_MS = 50
    make_article("Hội nghị sơ kết")
    SiteSettings.load()
    html("/")
    reader = visitor()
    html("/", reader)  # first visit of this reader: one visit to count
    with django_assert_max_num_queries(2):  # presence upsert + live figures, whatever the page holds
        assert "Hội nghị sơ kết" in html("/", reader)


@pytest.mark.parametrize("path", ["/", "/chuyen-muc/quoc-phong-an-ninh/", "/tin-tuc/bai-0/"])
def test_cache_hit_costs_the_same_whatever_the_content(path, counter_store, django_assert_num_queries, settings):
    """The query count of a cached page does not grow with the number of articles."""
    settings.LIVE_DIRTY_MS = 50
    category = make_category()
    for n in range(3):
        make_article(f"Bài {n}", category=category, slug=f"bai-{n}")
    SiteSettings.load()
    reader = visitor()
    html(path, reader)
    time.sleep(0.1)  # past the dirty mark of the counted visit: the next reader seeds the mirrors
    html(path, reader)
    with django_assert_num_queries(HIT_QUERIES[counter_store]):
        html(path, reader)
    for n in range(3, 30):
        make_article(f"Bài {n}", category=category, slug=f"bai-{n}", featured=n % 2 == 0)
    html(path, reader)
    time.sleep(0.1)  # past the dirty mark of the counted visit: the next reader seeds the mirrors
    html(path, reader)
    with django_assert_num_queries(HIT_QUERIES[counter_store]):
        html(path, reader)


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_new_view_of_a_cached_article_costs_no_query(counter_store, settings, django_assert_num_queries):
    """With Redis, a reader who never rated opens another cached article: no SQL at all, exact figure."""
    settings.LIVE_DIRTY_MS = 50
    settings.LIVE_FLUSH_MS = 60_000  # the first request's flush is the only one in this test
    category = make_category()
    make_article("Bài 0", category=category, slug="bai-0")
    make_article("Bài 1", category=category, slug="bai-1")
    SiteSettings.load()
    earlier = visitor()
    for _ in range(2):
        html("/tin-tuc/bai-1/", earlier)  # caches the page and the article's figures
        time.sleep(0.1)
    reader = visitor()
    html("/tin-tuc/bai-0/", reader)  # the reader's visit starts here
    with django_assert_num_queries(0):
        page = html("/tin-tuc/bai-1/", reader)
    assert "2 lượt xem" in page
    assert Article.objects.get(slug="bai-1").view_count == 0  # both views wait for the flush
    counters.flush_pending()
    assert Article.objects.get(slug="bai-1").view_count == 2


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_a_page_asks_redis_for_itself_once(counter_store, monkeypatch):
    """The page-cache middleware's lookup serves the view's decorator too: a miss is not asked twice."""
    asked = []
    lookup = counters.cached_page
    monkeypatch.setattr(
        counters, "cached_page", lambda request, key, *more: asked.append(key) or lookup(request, key, *more)
    )
    article = make_article("Hội nghị sơ kết")
    first = html(article.get_absolute_url())
    second = html(article.get_absolute_url())
    assert len(asked) == 2 and asked[0] == asked[1]
    assert "1 lượt xem" in first and "2 lượt xem" in second


@pytest.mark.parametrize("counter_store", ["redis"], indirect=True)
def test_a_cached_page_comes_with_what_a_rendered_one_comes_with(counter_store):
    """Served before the rest of the middleware, a hit still gets every header and cookie of a render."""
    article = make_article("Hội nghị sơ kết")
    rendered = Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
    cached = Client(HTTP_USER_AGENT=BROWSER).get(article.get_absolute_url())
    assert "2 lượt xem" in cached.content.decode()
    assert set(cached.headers) == set(rendered.headers)
    assert cached["X-Frame-Options"] == "DENY"
    assert int(cached["Content-Length"]) == len(cached.content)
    assert set(cached.cookies) == set(rendered.cookies) == {"kv", "csrftoken"}
    for name in ("kv", "csrftoken"):
        assert cookie_attributes(cached, name) == cookie_attributes(rendered, name)


def test_a_cached_page_is_not_served_for_an_unknown_host():
    """The host is checked before the cache is: a forged Host header gets 400, never someone's page."""
    article = make_article("Hội nghị sơ kết")
    html(article.get_absolute_url())
    forged = Client(HTTP_USER_AGENT=BROWSER, HTTP_HOST="kimson.example.net").get(article.get_absolute_url())
    assert forged.status_code == 400
    assert "Hội nghị sơ kết" not in forged.content.decode()


@pytest.mark.parametrize("path", ["/", "/chuyen-muc/quoc-phong-an-ninh/", "/tin-tuc/bai-0/"])
def test_uncached_page_makes_a_fixed_number_of_queries(path, settings):
    """A cache miss costs the same with 3 or 30 articles: listings make no query per article."""
    settings.LIVE_FLUSH_MS = 60_000  # the first request's counter flush is the only one
    category = make_category()
    counts = []
    for total in (3, 30):
        for n in range(Article.objects.count(), total):
            make_article(f"Bài {n}", category=category, slug=f"bai-{n}", featured=n % 2 == 0)
        reader = visitor()
        html("/", reader)  # the visit is counted here; the cache is emptied by saving articles
        html(path)  # an earlier reader: with Redis, the page's figures are there already
        make_article(f"Bài thêm {total}", category=category)
        with CaptureQueriesContext(connection) as queries:
            html(path, reader)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # The frame is rendered again too after a save (portal.fragments), with when its polls and
    # documents next change: two queries that a page whose frame is kept does not make.
    assert counts[0] <= 14


def test_publishing_shows_at_once():
    """An article published after the home page was cached is listed on the next request."""
    draft = make_article("Tin sắp đăng", status=Article.Status.DRAFT)
    assert "Tin sắp đăng" not in html("/")
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert "Tin sắp đăng" in html("/")


def test_editing_and_unpublishing_show_at_once():
    """A new title replaces the old one at once; an unpublished article leaves home and its page."""
    article = make_article("Tiêu đề cũ")
    assert "Tiêu đề cũ" in html("/")
    assert "Tiêu đề cũ" in html(article.get_absolute_url())
    article.title = "Tiêu đề mới"
    article.save()
    assert "Tiêu đề mới" in html(article.get_absolute_url())
    assert "Tiêu đề mới" in html("/")
    article.status = Article.Status.PENDING
    article.save()
    assert "Tiêu đề mới" not in html("/")
    assert visitor().get(article.get_absolute_url()).status_code == 404


def test_category_and_site_settings_edits_show_at_once():
    """Renaming a category or the site changes cached pages at once."""
    category = make_category("Kinh tế")
    make_article(category=category)
    assert "Kinh tế" in html("/")
    Category.objects.filter(pk=category.pk).first().__class__  # noqa: B018 - keep the object fresh
    category.name = "Kinh tế - Xã hội"
    category.save()
    assert "Kinh tế - Xã hội" in html(f"/chuyen-muc/{category.slug}/")
    site = SiteSettings.load()
    site.welcome_line = "Chào mừng đến với cổng thông tin mới"
    site.save()
    assert "Chào mừng đến với cổng thông tin mới" in html("/")


def test_scheduled_article_appears_when_its_time_comes():
    """A cached home page ends when the next scheduled article goes public."""
    start = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(start, tick=False) as clock:
        make_article("Tin hẹn giờ", days=-1 / 24 / 6)  # ten minutes ahead
        assert "Tin hẹn giờ" not in html("/")
        clock.shift(timedelta(minutes=9))
        assert "Tin hẹn giờ" not in html("/")
        clock.shift(timedelta(minutes=1, seconds=1))
        assert "Tin hẹn giờ" in html("/")


def test_staff_preview_is_never_cached():
    """Staff see drafts with no-cache headers; anonymous visitors never get the preview."""
    draft = make_article("Bản nháp bí mật", status=Article.Status.DRAFT)
    editor = visitor()
    editor.force_login(make_staff("duyetbai", superuser=True))
    response = editor.get(draft.get_absolute_url())
    assert "Bản nháp bí mật" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert visitor().get(draft.get_absolute_url()).status_code == 404


def test_logged_in_pages_do_not_fill_the_public_cache():
    """What a signed-in editor is shown is never served to an anonymous visitor."""
    article = make_article("Bài công khai")
    editor = visitor()
    editor.force_login(make_staff("bientap", superuser=True))
    html(article.get_absolute_url(), editor)
    Article.objects.filter(pk=article.pk).update(title="Đổi tiêu đề không qua tín hiệu")
    assert "Đổi tiêu đề không qua tín hiệu" in html(article.get_absolute_url())


def test_response_with_a_message_is_not_cached_nor_served_from_cache():
    """After a no-JS rating the visitor sees their message; the next visitor does not."""
    article = make_article()
    html(article.get_absolute_url())
    rater = visitor()
    html(article.get_absolute_url(), rater)  # the page gives the rater a visitor cookie
    rater.post(f"/danh-gia/{article.pk}/", {"score": 5})
    assert "Cảm ơn bạn đã đánh giá bài viết." in html(article.get_absolute_url(), rater)
    assert "Cảm ơn bạn đã đánh giá bài viết." not in html(article.get_absolute_url())


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page():
    """Cached HTML holds no one's token: each visitor's form token matches their own cookie."""
    import re

    article = make_article()
    tokens = []
    for _ in range(2):
        client = Client(HTTP_USER_AGENT=BROWSER, enforce_csrf_checks=True)
        page = html(article.get_absolute_url(), client)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        assert "<!--live:" not in page
        tokens.append(token)
        assert client.post(f"/danh-gia/{article.pk}/", {"score": 4, "csrfmiddlewaretoken": token}).status_code == 302
    assert tokens[0] != tokens[1]


def test_a_returning_browser_gets_a_new_token_for_the_same_csrf_cookie():
    """Every page masks the token anew (BREACH) while the browser's cookie secret stays the same."""
    import re

    from django.middleware.csrf import _unmask_cipher_token

    article = make_article()
    client = Client(HTTP_USER_AGENT=BROWSER, enforce_csrf_checks=True)
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(article.get_absolute_url(), client)).group(1)
        for _ in range(3)
    ]
    secret = client.cookies["csrftoken"].value
    assert "csrftoken" not in client.get(article.get_absolute_url()).cookies  # kept, not sent again
    assert len(set(tokens)) == 3
    assert all(len(token) == 64 and _unmask_cipher_token(token) == secret for token in tokens)
    assert client.post(f"/danh-gia/{article.pk}/", {"score": 3, "csrfmiddlewaretoken": tokens[0]}).status_code == 302


def test_poll_voter_sees_live_results_while_others_get_the_cached_form():
    """The sidebar poll: a voter's pages show current results; other visitors still get the form."""
    from django.urls import reverse

    from polls.models import Choice
    from tests.factories import make_poll

    poll = make_poll(choices=("Tin tức", "Văn bản"))
    choice = Choice.objects.filter(poll=poll).first()
    html("/")  # cache the home page with the form
    voter = visitor()
    html("/", voter)  # the page gives the voter a visitor cookie
    voter.post(reverse("polls:vote", args=[poll.pk]), {"choice": [str(choice.pk)]})
    voter.cookies.pop("messages", None)
    sidebar = html("/", voter).split('id="side-poll"')[1].split("</section>")[0]
    assert "1 lượt" in sidebar
    other = html("/").split('id="side-poll"')[1].split("</section>")[0]
    assert ">Bình chọn<" in other or "Bình chọn</button>" in other
    assert "1 lượt" not in other
