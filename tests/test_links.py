"""portal.links.slug_url gives what reverse() gives, under any script prefix, and fails alike."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from news.models import Article, Category
from portal.links import slug_url


@pytest.fixture
def prefix():
    yield set_script_prefix
    clear_script_prefix()


@pytest.mark.parametrize("name", ["news:article", "news:category"])
@pytest.mark.parametrize("slug", ["le-khanh-thanh-cau-kim-son", "a", "2026_12-01", "zq0slug0qz", "xzq0slug0qzx"])
def test_the_same_address_as_reverse(name, slug, prefix):
    assert slug_url(name, slug) == reverse(name, args=[slug])
    prefix("/cong-thong-tin/")
    assert slug_url(name, slug) == reverse(name, args=[slug])
    assert slug_url(name, slug).startswith("/cong-thong-tin/")


@pytest.mark.parametrize("slug", ["", "có dấu", "a/b", "a?b"])
def test_what_reverse_refuses_is_refused(slug):
    with pytest.raises(NoReverseMatch):
        reverse("news:article", args=[slug])
    with pytest.raises(NoReverseMatch):
        slug_url("news:article", slug)


@pytest.mark.django_db
def test_an_article_links_to_its_page():
    article = Article(slug="bai-viet")
    category = Category(slug="tin-tuc-su-kien")
    assert article.get_absolute_url() == reverse("news:article", args=["bai-viet"])
    assert category.get_absolute_url() == reverse("news:category", args=["tin-tuc-su-kien"])
