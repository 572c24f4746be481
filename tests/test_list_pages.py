"""Category and news-list pages read by their page starts (news.paging): exact, on time, fixed queries."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from news.models import Article
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    top = make_category("Kinh tế")
    return top, make_category("Nông nghiệp", parent=top)


def titles_on(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [a.title for a in response.context["articles"]], response


def walk(client, url):
    """Every title of a paginated list, page after page, and the page count it shows."""
    titles, response = titles_on(client, url)
    pages = response.context["page_obj"].paginator.num_pages
    for number in range(2, pages + 1):
        titles += titles_on(client, f"{url}?page={number}")[0]
    return titles, pages


def test_every_published_article_is_on_exactly_one_page_newest_first(client, family):
    """A top category lists its own and its sub-category's articles once each, drafts and scheduled ones never."""
    top, child = family
    moment = timezone.now() - timedelta(days=3)
    for i in range(40):
        # Groups of articles published at the same moment: pages must cut between equals too.
        Article.objects.create(
            title=f"Bài {i}",
            sapo="Tóm tắt.",
            body="<p>x</p>",
            category=(top, child)[i % 2],
            status=Article.Status.PUBLISHED,
            publish_at=moment - timedelta(hours=i // 5),
        )
    make_article("Bản nháp", category=top, status=Article.Status.DRAFT)
    make_article("Hẹn giờ", category=child, days=-1)
    expected = list(
        Article.objects.published()
        .filter(category__in=family)
        .order_by("-publish_at", "-id")
        .values_list("title", flat=True)
    )
    titles, pages = walk(client, top.get_absolute_url())
    assert titles == expected and len(titles) == 40 and pages == 4
    assert walk(client, child.get_absolute_url())[0] == [t for t in expected if int(t.split()[1]) % 2]
    assert walk(client, "/tin-tuc/")[0] == expected


def test_a_page_past_the_last_is_not_found(client, family):
    top, _ = family
    for i in range(13):
        make_article(f"Bài {i}", category=top, days=i)
    assert client.get(top.get_absolute_url() + "?page=2").status_code == 200
    assert client.get(top.get_absolute_url() + "?page=3").status_code == 404
    assert client.get(top.get_absolute_url() + "?page=abc").status_code == 404


def test_a_scheduled_article_shows_and_counts_at_its_time(client, family):
    """Kept page starts end when the next scheduled article goes public: it is on page 1 at once."""
    top, _ = family
    for i in range(12):
        make_article(f"Bài {i}", category=top, days=i + 1)
    make_article("Bài hẹn giờ", category=top, days=-1)
    titles, response = titles_on(client, top.get_absolute_url() + "?page=1")
    assert "Bài hẹn giờ" not in titles and response.context["page_obj"].paginator.count == 12
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1), tick=False):
        titles, response = titles_on(client, top.get_absolute_url())  # the kept page ended at that moment
        assert titles[0] == "Bài hẹn giờ" and response.context["page_obj"].paginator.count == 13
        assert titles_on(client, top.get_absolute_url() + "?page=2")[0] == ["Bài 11"]


def test_saving_an_article_recounts_the_pages(client, family):
    top, _ = family
    for i in range(12):
        make_article(f"Bài {i}", category=top, days=i + 1)
    assert client.get(top.get_absolute_url() + "?page=2").status_code == 404
    make_article("Bài mới", category=top)
    titles, _ = titles_on(client, top.get_absolute_url() + "?page=2")
    assert titles == ["Bài 11"]
    Article.objects.get(title="Bài mới").delete()
    assert client.get(top.get_absolute_url() + "?page=2").status_code == 404


def uncached(client):
    """The same visitor with a session: the page cache leaves such requests alone (one query more)."""
    client.cookies[settings.SESSION_COOKIE_NAME] = "none"
    return client


def count_queries(client, url):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_deep_category_pages_cost_the_same_queries_as_a_small_category(client, family, django_assert_num_queries):
    """The first page of 5 articles and page 9 of 120 make the same queries, kept page starts or not."""
    top, child = family
    for i in range(5):
        make_article(f"Bài {i}", category=child, days=i)
    client.get("/lien-he/")  # menu and site settings cached, as on a running site
    small = [count_queries(client, top.get_absolute_url()), count_queries(uncached(Client()), top.get_absolute_url())]
    for i in range(5, 120):
        make_article(f"Bài {i}", category=child, days=i)
    client.get("/lien-he/")
    with django_assert_num_queries(small[0]):
        client.get(top.get_absolute_url() + "?page=9")  # page starts counted for this content
    with django_assert_num_queries(small[1]):
        uncached(Client()).get(top.get_absolute_url() + "?page=10")
    assert small[1] < small[0]


@pytest.mark.postgres
def test_deep_pages_of_100000_articles_cost_the_same_queries(client, family, django_assert_num_queries):
    """On PostgreSQL with 100,000 bulk-created articles a deep page makes as many queries as page 1 of 5."""
    top, child = family
    for i in range(5):
        make_article(f"Bài {i}", category=child, days=i)
    client.get(top.get_absolute_url())  # menu, site settings and page starts kept, as on a running site
    small = count_queries(uncached(Client()), top.get_absolute_url())  # a page not kept
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO news_article (title, slug, sapo, body, cover_image, cover_caption, author, source,
                   category_id, featured, status, publish_at, view_count, created_at, updated_at, unit_id)
               SELECT 'Bài số ' || n, 'bai-so-' || n, 'Tóm tắt.', '<p>x</p>', '', '', '', '',
                   %s, false, 'published', now() - n * interval '1 minute', 0, now(), now(), %s
               FROM generate_series(1, 100000) AS n""",
            [child.pk, child.unit_id],
        )
        cursor.execute("ANALYZE news_article")
    make_article("Bài cuối", category=child, days=999)  # content changed: page starts counted again
    client.get("/lien-he/")
    client.get(top.get_absolute_url() + "?page=5000")
    with django_assert_num_queries(small):
        response = uncached(Client()).get(top.get_absolute_url() + "?page=8000")
    assert response.context["page_obj"].paginator.count == 100_006
    assert client.get(top.get_absolute_url() + "?page=8334").context["articles"][-1].title == "Bài cuối"


def test_an_unknown_category_is_not_found(client, family):
    assert client.get("/chuyen-muc/khong-co/").status_code == 404


def test_related_articles_include_a_scheduled_one_at_its_time(client, family):
    """ "Tin liên quan" is kept per content version, never past the next scheduled article."""
    top, _ = family
    shown = make_article("Bài đang xem", category=top, days=2)
    make_article("Bài hẹn giờ", category=top, days=-1)
    assert "Bài hẹn giờ" not in client.get(shown.get_absolute_url()).content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1), tick=False):
        assert "Bài hẹn giờ" in client.get(shown.get_absolute_url()).content.decode()


def test_related_articles_are_each_categorys_newest_five_but_the_one_shown(family):
    """Kept for every category at once, "Tin liên quan" is still the newest five of the article's own
    category (not its sub-categories), itself left out, ties of time broken by the newer id; drafts,
    scheduled articles and other units' never; a category without articles has none."""
    from news import queries
    from portal import fragments, units
    from tests.factories import make_unit

    top, child = family
    empty = make_category("Văn hóa")
    same_time = timezone.now() - timedelta(hours=3)
    shown = []
    for n in range(9):
        category = (top, child)[n % 2]
        shown.append(make_article(f"Bài {n}", category=category, days=n // 3))
    Article.objects.filter(pk__in=[article.pk for article in shown[:5]]).update(publish_at=same_time)
    make_article("Bài nháp", category=top, status=Article.Status.DRAFT)
    make_article("Bài hẹn giờ", category=child, days=-1)
    with units.active(make_unit("Kim Đông", "kimdong.localhost")):
        make_article("Bài xã khác", category=make_category("Kinh tế"))
    fragments.forget()
    with units.active(units.first_unit_id()):  # as a request to the unit's portal
        for article in shown:
            newest = Article.objects.published().filter(category_id=article.category_id).order_by("-publish_at", "-id")
            expected = [other.pk for other in newest[:6] if other.pk != article.pk][:5]
            assert [other.pk for other in queries.related_articles(article)] == expected, article.title
        assert queries.newest_by_category(6).get(empty.pk, []) == []
