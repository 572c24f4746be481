import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import Article
from tests.factories import image_upload, make_article, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def categories():
    tops = [make_category(name, order=i) for i, name in enumerate(("Chính trị", "Kinh tế", "Quốc phòng - An ninh"))]
    children = [make_category(f"Chuyên mục con {i}", parent=top) for i, top in enumerate(tops)]
    return tops + children


def add_articles(categories, count):
    start = Article.objects.count()
    for i in range(start, start + count):
        make_article(
            f"Bài viết số {i}",
            category=categories[i % len(categories)],
            days=i % 20,
            featured=i % 4 == 0,
            author="Mai Hoa",
            cover_image=image_upload(size=(320, 200)) if i % 3 == 0 else "",
            cover_caption="Ảnh minh họa",
        )


def count_queries(client, url):
    client.get(url)  # warm the menu and site-settings caches, as on a running site
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def page_urls(categories):
    article = Article.objects.published().filter(category=categories[0]).first()
    return {"home": "/", "category": categories[0].get_absolute_url(), "article": article.get_absolute_url()}


def test_pages_make_the_same_number_of_queries_with_5_and_100_articles(client, categories):
    """Home, category and article pages cost a fixed number of SQL queries, whatever the content."""
    add_articles(categories, 5)
    urls = page_urls(categories)
    few = {name: count_queries(client, url) for name, url in urls.items()}
    add_articles(categories, 95)
    many = {name: count_queries(client, url) for name, url in urls.items()}
    assert few == many
    # Today 3, 5 and 2; sidebar blocks of other apps add a few each, never one per article.
    assert all(count <= 15 for count in few.values()), few


def test_news_list_shows_every_article_newest_first_in_fixed_queries(client, categories):
    """/tin-tuc/ lists published articles of all categories, newest first, 12 a page, in a fixed number of queries."""
    add_articles(categories, 5)
    make_article("Bài nháp chưa đăng", category=categories[0], status=Article.Status.DRAFT)
    make_article("Bài hẹn giờ đăng", category=categories[0], days=-3)
    client.get("/tin-tuc/?page=2")  # warm menu and settings caches without caching /tin-tuc/ itself
    with CaptureQueriesContext(connection) as few:
        response = client.get("/tin-tuc/")
    html = response.content.decode()
    assert html.index("Bài viết số 0") < html.index("Bài viết số 1") < html.index("Bài viết số 4")
    assert "Bài nháp chưa đăng" not in html and "Bài hẹn giờ đăng" not in html
    assert 'href="/tin-tuc/">Tin tức - Sự kiện</a>' in html  # the menu item leads here
    add_articles(categories, 95)
    client.get("/tin-tuc/?page=2")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/tin-tuc/")
    assert len(few) == len(many) <= 15
    assert "Trang 1 / 9" in response.content.decode()
    with CaptureQueriesContext(connection) as cached:
        client.get("/tin-tuc/")
    assert len(cached) < len(many)  # served from the public page cache


def test_news_list_is_in_the_sitemap(client):
    assert "/tin-tuc/</loc>" in client.get("/sitemap-muc.xml").content.decode()


@pytest.mark.postgres
def test_article_rows_leave_room_for_in_place_view_updates():
    """Counting a view rewrites the article row; free space on each page keeps that off the indexes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'news_article'")
        (options,) = cursor.fetchone()
    assert "fillfactor=80" in (options or [])
