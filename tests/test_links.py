"""portal.links.slug_url gives what reverse() gives, under any script prefix, and fails alike."""

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from news.models import Article, Category
from portal.links import plain_url, slug_url


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


@pytest.mark.parametrize("name", ["news:home", "news:feed", "search:search", "open_data:index"])
def test_a_plain_address_is_what_reverse_gives_under_any_prefix(name, prefix):
    assert plain_url(name) == reverse(name)
    prefix("/cong-thong-tin/")
    assert plain_url(name) == reverse(name) and plain_url(name).startswith("/cong-thong-tin/")


def test_the_address_tag_gives_what_the_url_tag_gives(prefix):
    from django.template import Context, Template

    def both(source):
        return [
            Template("{% load portal_tags %}" + source.replace("url", tag)).render(Context({"slug": "thoi-su"}))
            for tag in ("url", "address")
        ]

    prefix("/cong-thong-tin/")
    for source in ("{% url 'news:feed' %}", "{% url 'news:category_feed' slug %}", "{% url 'news:home' %}"):
        url_tag, address_tag = both(source)
        assert url_tag == address_tag and url_tag.startswith("/cong-thong-tin/")
