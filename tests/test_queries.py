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
