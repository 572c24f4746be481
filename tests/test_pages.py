import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import RequestFactory

from news.models import Article
from portal.models import SiteSettings
from portal.views import server_error
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db


def positions(page, *needles):
    """Where each text first appears in the page; fails if one is missing."""
    found = [page.find(needle) for needle in needles]
    missing = [needle for needle, at in zip(needles, found, strict=True) if at < 0]
    assert not missing, f"missing from the page: {missing}"
    return found


@pytest.fixture
def defence_article():
    top = make_category("Quốc phòng - An ninh")
    article = make_article(
        "Sơ kết hoạt động cụm địa bàn quốc phòng an toàn làm chủ cụm số 1",
        category=top,
        sapo="Hội nghị sơ kết một năm hoạt động của cụm số 1.",
        body="<p>Nội dung chính của hội nghị.</p>",
        author="Mai Hoa",
    )
    Article.objects.filter(pk=article.pk).update(publish_at=datetime(2024, 10, 26, 2, 0, tzinfo=UTC), view_count=148)
    make_article("Diễn tập khu vực phòng thủ xã Kim Định", category=top, days=40)
    make_article("Tin chuyên mục khác", category=make_category("Thông báo"), days=1)
    return Article.objects.get(pk=article.pk)


def test_article_page_reads_in_the_reference_order(client, defence_article):
    """Title, long date, views, rating block, sapo, body, byline and related articles, in that order."""
    page = client.get(defence_article.get_absolute_url()).content.decode()
    main = page[page.index('<main id="noi-dung"') : page.index("</main>")]
    at = positions(
        main,
        '<h1 class="article__title">Sơ kết hoạt động cụm địa bàn quốc phòng an toàn làm chủ cụm số 1</h1>',
        "Thứ bảy, 26/10/2024",
        "148 lượt xem",
        "Đánh giá cho bài viết:",
        "0 điểm ( 0 đánh giá )",
        "Hội nghị sơ kết một năm hoạt động của cụm số 1.",
        "Nội dung chính của hội nghị.",
        '<p class="article__author">Mai Hoa</p>',
        "Tin liên quan",
        "Diễn tập khu vực phòng thủ xã Kim Định",
    )
    assert at == sorted(at)
    assert "Tin chuyên mục khác" not in main


def test_article_byline_is_right_aligned(client, defence_article):
    """The byline carries the class that aligns it right, like "Mai Hoa" in the reference."""
    page = client.get(defence_article.get_absolute_url()).content.decode()
    assert '<p class="article__author">Mai Hoa</p>' in page
    css = (settings.BASE_DIR / "static/css/site.css").read_text(encoding="utf-8")
    assert re.search(r"\.article__author\s*\{[^}]*text-align:\s*right", css)


def test_article_breadcrumbs_lead_home_then_through_the_categories(client):
    """Trang chủ › top category › sub-category, each a link, above the article."""
    top = make_category("Kinh tế")
    child = make_category("Nông nghiệp", parent=top)
    article = make_article("Thu hoạch lúa mùa", category=child)
    page = client.get(article.get_absolute_url()).content.decode()
    crumbs = page[page.index('<nav class="breadcrumbs"') : page.index("</nav>", page.index('<nav class="breadcrumbs"'))]
    at = positions(
        crumbs,
        '<a href="/">Trang chủ</a>',
        f'<a href="{top.get_absolute_url()}">Kinh tế</a>',
        f'<a href="{child.get_absolute_url()}">Nông nghiệp</a>',
    )
    assert at == sorted(at)


def test_category_breadcrumb_ends_with_the_current_category_unlinked(client):
    """On a category page the last crumb is the category itself, marked as the current page."""
    top = make_category("Kinh tế")
    child = make_category("Nông nghiệp", parent=top)
    page = client.get(child.get_absolute_url()).content.decode()
    assert '<span aria-current="page">Nông nghiệp</span>' in page
    assert f'<a href="{top.get_absolute_url()}">Kinh tế</a>' in page


def test_category_page_lists_sub_categories_and_their_articles(client):
    """A top category links its sub-categories and lists their articles with its own."""
    top = make_category("Kinh tế")
    child = make_category("Nông nghiệp", parent=top)
    make_article("Tin của chuyên mục cha", category=top)
    make_article("Tin của chuyên mục con", category=child)
    page = client.get(top.get_absolute_url()).content.decode()
    assert f'<a href="{child.get_absolute_url()}">Nông nghiệp</a>' in page
    assert "Tin của chuyên mục cha" in page
    assert "Tin của chuyên mục con" in page


def test_category_page_is_paginated_newest_first(client):
    """Twelve articles per page, newest first; the second page holds the rest."""
    category = make_category("Thông báo")
    for day in range(14):
        make_article(f"Thông báo số {day:02d}", category=category, days=day)
    first = client.get(category.get_absolute_url()).content.decode()
    second = client.get(category.get_absolute_url() + "?page=2").content.decode()
    assert "Trang 1 / 2" in first and "Trang 2 / 2" in second
    assert "Thông báo số 00" in first and "Thông báo số 11" in first and "Thông báo số 12" not in first
    assert "Thông báo số 12" in second and "Thông báo số 13" in second and "Thông báo số 00" not in second
    assert first.index("Thông báo số 00") < first.index("Thông báo số 01")


@pytest.mark.parametrize("page", ["abc", "999", "-1", "0", "3"])
def test_category_page_beyond_its_range_is_a_404(client, page):
    """A junk or out-of-range page number is the Vietnamese 404, as Django's paginator decides:
    crawlers cannot make endless distinct pages (nor cache entries) of one category."""
    category = make_category("Thông báo")
    for day in range(13):
        make_article(f"Thông báo số {day:02d}", category=category, days=day)
    response = client.get(category.get_absolute_url(), {"page": page})
    assert response.status_code == 404
    assert client.get(category.get_absolute_url(), {"page": "2"}).status_code == 200
    assert "Trang 2 / 2" in client.get(category.get_absolute_url(), {"page": "02"}).content.decode()


def test_unknown_category_and_article_answer_vietnamese_404(client):
    """Unknown addresses get the portal's Vietnamese 404 page inside the page frame."""
    for url in ("/chuyen-muc/khong-co/", "/tin-tuc/khong-co/", "/khong-co-trang-nay/"):
        response = client.get(url)
        assert response.status_code == 404
        page = response.content.decode()
        assert "Không tìm thấy trang" in page
        assert "Về trang chủ" in page
        assert "HUYỆN KIM SƠN" in page


def test_server_error_page_renders_without_the_database(django_db_blocker):
    """The 500 handler answers in Vietnamese even when the database is unreachable."""
    with django_db_blocker.block():
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()


def test_a_crashing_page_answers_with_the_500_page(client, monkeypatch):
    """An unexpected error in a view gives the Vietnamese 500 page, not a traceback."""

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("news.views.HomeView.get_context_data", crash)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()
    assert "boom" not in response.content.decode()


def test_home_shows_featured_latest_and_a_block_per_top_category(client):
    """Home has featured news, latest news and one block per top category with its articles."""
    economy = make_category("Kinh tế", order=1)
    farming = make_category("Nông nghiệp", parent=economy)
    defence = make_category("Quốc phòng - An ninh", order=2)
    make_article("Tin nổi bật về kinh tế", category=economy, featured=True)
    make_article("Tin nông nghiệp mới", category=farming, days=1)
    make_article("Tin quốc phòng mới", category=defence, days=2)
    page = client.get("/").content.decode()
    at = positions(
        page, "Tin nổi bật", "Tin nổi bật về kinh tế", "Tin mới", 'id="cm-kinh-te"', 'id="cm-quoc-phong-an-ninh"'
    )
    assert at == sorted(at)
    block = page[page.index('id="cm-kinh-te"') : page.index('id="cm-quoc-phong-an-ninh"')]
    assert "Tin nông nghiệp mới" in block


def test_menu_has_the_sections_in_order_with_sub_categories(client):
    """The main menu lists the sections of the reference in order, news with its categories."""
    make_category("Quốc phòng - An ninh")
    page = client.get("/").content.decode()
    menu = page[page.index('<nav class="menu"') : page.index("</nav>", page.index('<nav class="menu"'))]
    at = positions(
        menu,
        ">Trang chủ<",
        ">Giới thiệu<",
        ">Tin tức - Sự kiện<",
        ">Quốc phòng - An ninh<",
        ">Văn bản<",
        ">Một cửa điện tử<",
        ">Góp ý<",
        ">Liên hệ<",
    )
    assert at == sorted(at)
    assert 'aria-controls="menu-list"' in menu and 'aria-expanded="false"' in menu
    assert 'role="search"' in menu


def test_sidebar_blocks_follow_the_reference_order(client):
    """Góp ý, Một cửa, Văn bản điện tử, Bình chọn, Văn bản mới, Thống kê truy cập, in that order."""
    page = client.get("/").content.decode()
    sidebar = page[page.index('<aside class="sidebar"') : page.index("</aside>")]
    at = positions(
        sidebar,
        "Góp ý của nhân dân",
        "Một cửa điện tử",
        "Văn bản điện tử",
        "Bình chọn",
        "Văn bản mới",
        "Xem thêm",
        "Thống kê truy cập",
        "Lượt truy cập:",
        "Trực tuyến:",
        "Hôm nay:",
    )
    assert at == sorted(at)
    assert page.index("</main>") < page.index('<aside class="sidebar"')


def test_banner_and_footer_come_from_site_settings(client):
    """Changing the unit in the site settings changes the banner, title and footer."""
    site = SiteSettings.load()
    site.unit_level = "Xã"
    site.unit_name = "Kim Đông"
    site.agency = "UBND xã Kim Đông"
    site.responsible_person = "Chủ tịch UBND xã Kim Đông"
    site.welcome_line = "Chào mừng bạn đến với Trang thông tin điện tử xã Kim Đông"
    site.save()
    page = client.get("/").content.decode()
    assert '<span class="banner__unit">XÃ KIM ĐÔNG</span>' in page
    assert "TRANG THÔNG TIN ĐIỆN TỬ" in page
    assert "Cơ quan chủ quản: UBND xã Kim Đông" in page
    assert "Chịu trách nhiệm chính: Chủ tịch UBND xã Kim Đông" in page
    assert "Chào mừng bạn đến với Trang thông tin điện tử xã Kim Đông" in page
    assert "HUYỆN KIM SƠN" not in page


def test_default_frame_is_kim_son(client):
    """Out of the box the banner, welcome line and footer describe Kim Sơn district."""
    page = client.get("/").content.decode()
    assert '<span class="banner__title">TRANG THÔNG TIN ĐIỆN TỬ</span>' in page
    assert '<span class="banner__unit">HUYỆN KIM SƠN</span>' in page
    assert "Chào mừng bạn đến với Trang thông tin điện tử huyện Kim Sơn" in page
    assert "Cơ quan chủ quản: UBND huyện Kim Sơn" in page
    assert 'lang="vi"' in page


def test_emc_snippet_is_shown_only_when_enabled(client):
    """The EMC tracking snippet is off by default and appears once enabled in the settings."""
    snippet = '<script src="https://emc.example.vn/tracking.js" async></script>'
    site = SiteSettings.load()
    site.emc_snippet = snippet
    site.save()
    assert snippet not in client.get("/").content.decode()
    site.emc_enabled = True
    site.save()
    assert snippet in client.get("/").content.decode()
