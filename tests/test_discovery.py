"""Feeds, sitemap, robots.txt and canonical links, read the way crawlers read them."""

import xml.etree.ElementTree as ET

import pytest

from news.models import Article
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def newsroom():
    security = make_category("Quốc phòng - An ninh")
    economy = make_category("Kinh tế")
    farming = make_category("Nông nghiệp", parent=economy)
    make_article("Diễn tập phòng thủ", category=security, days=2, sapo="Sapo <b>diễn tập</b> & bắn đạn thật.")
    make_article("Vụ lúa mùa bội thu", category=farming, days=1)
    make_article("Bài nháp", category=security, status=Article.Status.DRAFT)
    make_article("Bài chờ duyệt", category=economy, status=Article.Status.PENDING)
    make_article("Bài hẹn giờ", category=economy, days=-2)
    return {"security": security, "economy": economy, "farming": farming}


def sitemap_locations(client):
    """Every address in the sitemap: the index, then each section's sitemap (all parsed as XML)."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    locations = []
    for section in index.findall("s:sitemap/s:loc", SITEMAP_NS):
        assert section.text.startswith("http://testserver/sitemap-")
        root = ET.fromstring(client.get(section.text.removeprefix("http://testserver")).content)
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        locations += [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    return locations


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    return channel, channel.findall("item")


def test_news_feed_lists_published_articles_newest_first(client, newsroom):
    """RSS 2.0 of all news: published only, newest first, absolute links, sapo as description."""
    channel, items = rss_items(client, "/rss/")
    assert channel.findtext("title").startswith("Tin tức - ")
    assert channel.findtext("language") == "vi"
    assert [item.findtext("title") for item in items] == ["Vụ lúa mùa bội thu", "Diễn tập phòng thủ"]
    assert items[1].findtext("link") == "http://testserver/tin-tuc/dien-tap-phong-thu/"
    # Text escaped once: a feed reader shows the sapo as typed, tags and all, never as bold.
    assert items[1].findtext("description") == "Sapo &lt;b&gt;diễn tập&lt;/b&gt; &amp; bắn đạn thật."
    assert items[1].findtext("pubDate")
    assert items[1].findtext("category") == "Quốc phòng - An ninh"


def test_category_feed_includes_its_sub_categories_and_nothing_else(client, newsroom):
    """A top category's feed holds its children's articles; drafts and scheduled stay out."""
    _, items = rss_items(client, "/chuyen-muc/kinh-te/rss/")
    assert [item.findtext("title") for item in items] == ["Vụ lúa mùa bội thu"]
    channel, items = rss_items(client, "/chuyen-muc/quoc-phong-an-ninh/rss/")
    assert channel.findtext("title").startswith("Quốc phòng - An ninh - ")
    assert [item.findtext("title") for item in items] == ["Diễn tập phòng thủ"]


def test_unknown_category_feed_is_404(client):
    """No feed for a category that does not exist."""
    assert client.get("/chuyen-muc/khong-co/rss/").status_code == 404


def test_sitemap_lists_pages_categories_and_published_articles_only(client, newsroom):
    """sitemap.xml parses, has absolute URLs, and leaves drafts, pending and scheduled out."""
    locations = sitemap_locations(client)
    assert "http://testserver/" in locations
    assert "http://testserver/chuyen-muc/nong-nghiep/" in locations
    assert "http://testserver/tin-tuc/dien-tap-phong-thu/" in locations
    assert "http://testserver/tin-tuc/vu-lua-mua-boi-thu/" in locations
    for hidden in ("bai-nhap", "bai-cho-duyet", "bai-hen-gio"):
        assert f"http://testserver/tin-tuc/{hidden}/" not in locations
    assert len(locations) == len(set(locations))


def test_drafts_and_scheduled_are_absent_from_feeds(client, newsroom):
    """No feed shows an unpublished or future article."""
    for url in ["/rss/", "/chuyen-muc/kinh-te/rss/", "/chuyen-muc/quoc-phong-an-ninh/rss/"]:
        body = client.get(url).content.decode()
        for hidden in ("Bài nháp", "Bài chờ duyệt", "Bài hẹn giờ"):
            assert hidden not in body


def test_robots_txt_names_the_sitemap_with_an_absolute_url(client):
    """robots.txt points crawlers at the sitemap and keeps them off search results."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.get("/sitemap.xml").status_code == 200
    assert "Disallow: /tim-kiem/" in lines


def test_pages_link_their_feeds_and_canonical_address(client, newsroom):
    """Every page links the news feed; category and article pages also their category feed."""
    article = Article.objects.get(slug="vu-lua-mua-boi-thu")
    home = client.get("/?utm_source=zalo").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in home and 'href="/rss/"' in home
    assert '<link rel="canonical" href="http://testserver/">' in home
    category = client.get("/chuyen-muc/kinh-te/?page=1").content.decode()
    assert 'href="/chuyen-muc/kinh-te/rss/"' in category
    assert '<link rel="canonical" href="http://testserver/chuyen-muc/kinh-te/">' in category
    page = client.get(article.get_absolute_url() + "?fbclid=abc").content.decode()
    assert 'href="/chuyen-muc/nong-nghiep/rss/"' in page
    assert '<link rel="canonical" href="http://testserver/tin-tuc/vu-lua-mua-boi-thu/">' in page


def test_the_head_names_the_page_then_the_site_and_links_the_news_feed_first(client, newsroom):
    """The title is the page's own, then the site's; the news feed comes before a category's."""
    article = Article.objects.get(slug="vu-lua-mua-boi-thu")
    site = "Trang thông tin điện tử huyện Kim Sơn"
    news_feed = f'<link rel="alternate" type="application/rss+xml" title="Tin tức - {site}" href="/rss/">'
    home = client.get("/").content.decode()
    assert f"<title>{site}</title>" in home and news_feed in home
    page = client.get(article.get_absolute_url()).content.decode()
    assert f"<title>{article.title} - {site}</title>" in page
    category_feed = f'<link rel="alternate" type="application/rss+xml" title="Nông nghiệp - {site}"'
    assert f"{news_feed}\n  {category_feed}" in page
    listing = client.get("/chuyen-muc/kinh-te/?page=1").content.decode()
    assert f"<title>Kinh tế - {site}</title>" in listing
    assert f'{news_feed}\n  <link rel="alternate" type="application/rss+xml" title="Kinh tế - {site}"' in listing
    assert "<title>Không tìm thấy trang - " + site in client.get("/khong-co-trang-nay/").content.decode()


def test_canonical_keeps_the_page_number_of_a_listing(client, newsroom):
    """Page 2 of a category is its own canonical page."""
    html = client.get("/chuyen-muc/kinh-te/?page=2").content.decode()
    assert '<link rel="canonical" href="http://testserver/chuyen-muc/kinh-te/?page=2">' in html


def test_sitemap_lists_published_documents_procedures_and_pages_only(client):
    """Documents, procedures and introduction pages are in the sitemap unless hidden or scheduled."""
    from datetime import timedelta

    from django.utils import timezone

    from pages.models import Page
    from services.models import Procedure, Sector
    from tests.factories import make_document

    shown = make_document("125/QĐ-UBND")
    hidden = make_document("126/QĐ-UBND", is_published=False)
    scheduled = make_document("127/QĐ-UBND", publish_at=timezone.now() + timedelta(days=1))
    sector = Sector.objects.create(name="Hộ tịch")
    Procedure.objects.create(name="Đăng ký khai sinh", sector=sector, processing_time="1 ngày", requirements="Tờ khai")
    Procedure.objects.create(
        name="Đăng ký kết hôn", sector=sector, processing_time="1 ngày", requirements="Tờ khai", is_published=False
    )
    Page.objects.create(title="Lịch sử huyện", body="<p>Lịch sử.</p>")
    Page.objects.create(title="Trang ẩn", body="<p>Ẩn.</p>", is_published=False)
    locations = set(sitemap_locations(client))
    assert f"http://testserver{shown.get_absolute_url()}" in locations
    assert f"http://testserver{hidden.get_absolute_url()}" not in locations
    assert f"http://testserver{scheduled.get_absolute_url()}" not in locations
    assert "http://testserver/mot-cua/thu-tuc/dang-ky-khai-sinh/" in locations
    assert "http://testserver/mot-cua/thu-tuc/dang-ky-ket-hon/" not in locations
    assert "http://testserver/gioi-thieu/lich-su-huyen/" in locations
    assert "http://testserver/gioi-thieu/trang-an/" not in locations
    assert {"http://testserver/van-ban/", "http://testserver/mot-cua/", "http://testserver/lien-he/"} <= locations
    for url in locations:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url
