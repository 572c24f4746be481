"""Several unit portals in one installation: each host sees its own unit's content only."""

import pytest
from django.core.cache import cache
from django.test import Client

from news.models import Article
from portal import units
from portal.models import SiteSettings
from stats import counters
from stats.models import DailyVisits
from tests.factories import first_unit, make_article, make_category, make_unit, visitor_cookie

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


@pytest.fixture
def two_units():
    kimson = first_unit()
    kimdong = make_unit("Kim Đông", "kimdong.localhost")
    with units.active(kimson):
        make_article("Lễ hội Phát Diệm", category=make_category("Văn hóa"))
    with units.active(kimdong):
        make_article("Thu hoạch cói Kim Đông", category=make_category("Văn hóa"))
    return kimson, kimdong


def test_one_unit_answers_on_every_allowed_host(client):
    """An installation with one unit serves it as before units existed (the test client's testserver)."""
    make_article("Tin một đơn vị")
    assert "Tin một đơn vị" in client.get("/").content.decode()


def test_each_host_lists_only_its_units_articles(client, two_units):
    """The home page of each host shows its own articles, not the other unit's."""
    kimson = client.get("/", HTTP_HOST="127.0.0.1").content.decode()
    kimdong = client.get("/", HTTP_HOST="kimdong.localhost").content.decode()
    assert "Lễ hội Phát Diệm" in kimson and "Thu hoạch cói" not in kimson
    assert "Thu hoạch cói Kim Đông" in kimdong and "Lễ hội Phát Diệm" not in kimdong


def test_the_same_slug_lives_in_two_units(client, two_units):
    """Slugs are unique per unit: both have /chuyen-muc/van-hoa/, each with its own article."""
    kimson_category = Article.every_unit.get(title="Lễ hội Phát Diệm").category
    kimdong_category = Article.every_unit.get(title="Thu hoạch cói Kim Đông").category
    assert kimson_category.slug == kimdong_category.slug == "van-hoa"
    page = client.get("/chuyen-muc/van-hoa/", HTTP_HOST="kimdong.localhost").content.decode()
    assert "Thu hoạch cói" in page and "Lễ hội" not in page


def test_another_units_article_is_not_found(client, two_units):
    """An article's address on another unit's host is a 404, not that article."""
    article = Article.every_unit.get(title="Lễ hội Phát Diệm")
    assert client.get(article.get_absolute_url(), HTTP_HOST="kimdong.localhost").status_code == 404
    assert client.get(article.get_absolute_url(), HTTP_HOST="127.0.0.1").status_code == 200


def test_unknown_host_is_a_plain_404_listing_nothing(client, two_units):
    """Once there are two units, a host neither claims gets a 404 that names no unit and no article."""
    response = client.get("/", HTTP_HOST="khac.localhost")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Kim Sơn" not in body and "Kim Đông" not in body and "<a" not in body


def test_settings_and_cached_values_are_per_unit(client, two_units):
    """Each unit has its own site settings, and a value cached for one never shows on the other."""
    kimson, kimdong = two_units
    with units.active(kimdong):
        settings = SiteSettings.load()
        settings.site_title = "Cổng thông tin xã Kim Đông"
        settings.save()
    cache.clear()
    assert "Cổng thông tin xã Kim Đông" in client.get("/", HTTP_HOST="kimdong.localhost").content.decode()
    assert "Cổng thông tin xã Kim Đông" not in client.get("/", HTTP_HOST="127.0.0.1").content.decode()
    assert "Cổng thông tin xã Kim Đông" in client.get("/", HTTP_HOST="kimdong.localhost").content.decode()


@pytest.mark.usefixtures("counter_store")
def test_visits_and_online_are_per_unit(two_units):
    """A visit to one unit's portal counts on that unit's figures only, in the database and in Redis."""
    kimson, kimdong = two_units
    reader = Client(HTTP_USER_AGENT=BROWSER)
    reader.cookies["kv"] = visitor_cookie()
    reader.get("/", HTTP_HOST="kimdong.localhost")
    counters.flush_pending()
    assert DailyVisits.every_unit.get(unit=kimdong).visits == 1
    assert not DailyVisits.every_unit.filter(unit=kimson).exists()
    other = Client(HTTP_USER_AGENT=BROWSER)
    other.cookies["kv"] = visitor_cookie()
    html = other.get("/", HTTP_HOST="127.0.0.1").content.decode()
    assert "Trực tuyến: <strong>1</strong>" in html and "Hôm nay: <strong>1</strong>" in html
    html = reader.get("/", HTTP_HOST="kimdong.localhost").content.decode()
    assert "Trực tuyến: <strong>1</strong>" in html and "Hôm nay: <strong>1</strong>" in html
