"""Open Graph tags, share buttons and print on the article page."""

import base64
import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.storage import default_storage

from tests.factories import image_upload, make_article

pytestmark = pytest.mark.django_db

URL = "http://testserver/tin-tuc/so-ket-hoat-dong-cum-so-1/"


class HeadReader(HTMLParser):
    """Collects meta tags, links and scripts of a page, as a crawler or share preview sees them."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.scripts, self.inline_scripts = {}, {}, [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")
        elif tag == "a" and "href" in attrs:
            self.links.setdefault(attrs.get("class", ""), attrs["href"])
        elif tag == "script":
            if attrs.get("src"):
                self.scripts.append(attrs["src"])
            else:
                self.inline_scripts += 1


def read(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    reader = HeadReader()
    html = response.content.decode()
    reader.feed(html)
    return reader, html


def test_open_graph_and_twitter_tags_describe_the_article(client):
    """Title, sapo, absolute URL and an absolute cover rendition (not the original upload)."""
    article = make_article(
        sapo="Cụm thi đua số 1 sơ kết 6 tháng.", cover_image=image_upload(), cover_caption="Hội nghị"
    )
    reader, _ = read(client, article)
    meta = reader.meta
    assert meta["og:type"] == "article"
    assert meta["og:title"] == meta["twitter:title"] == "Sơ kết hoạt động cụm số 1"
    assert meta["og:description"] == meta["twitter:description"] == "Cụm thi đua số 1 sơ kết 6 tháng."
    assert meta["og:url"] == URL
    assert re.fullmatch(r"http://testserver/media/renditions/kim-son/covers/.+-1200w\.jpg", meta["og:image"])
    assert meta["twitter:image"] == meta["og:image"]
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "750")
    assert meta["og:image:alt"] == "Hội nghị"
    assert meta["twitter:card"] == "summary_large_image"
    assert default_storage.exists(urlparse(meta["og:image"]).path.removeprefix("/media/"))


def test_article_without_cover_has_a_small_card_and_no_image_tag(client):
    """No cover: no og:image, a "summary" card."""
    reader, _ = read(client, make_article())
    assert "og:image" not in reader.meta
    assert reader.meta["twitter:card"] == "summary"


def test_share_links_point_at_facebook_and_zalo_with_the_article_address(client):
    """Facebook's sharer and Zalo's share page get this article's absolute address."""
    reader, _ = read(client, make_article())
    facebook = urlparse(reader.links["btn share__facebook"])
    assert (facebook.scheme, facebook.netloc, facebook.path) == ("https", "www.facebook.com", "/sharer/sharer.php")
    assert parse_qs(facebook.query) == {"u": [URL]}
    zalo = urlparse(reader.links["btn share__zalo"])
    assert (zalo.scheme, zalo.netloc, zalo.path) == ("https", "button-share.zalo.me", "/share_external")
    query = parse_qs(zalo.query)
    assert json.loads(base64.b64decode(query["d"][0])) == {"url": URL}
    assert query["url"] == [URL]


def test_article_tools_load_no_third_party_script_and_no_inline_script(client):
    """Share and print work with our own static JS only; no SDK, no inline JavaScript."""
    reader, html = read(client, make_article())
    assert "/static/js/share.js" in reader.scripts
    assert all(src.startswith("/static/") for src in reader.scripts)
    assert reader.inline_scripts == 0
    assert " onclick=" not in html


def test_print_and_copy_buttons_with_a_no_script_fallback_showing_the_address(client):
    """ "In bài" and "Sao chép liên kết" buttons; without JS the address is shown in a field."""
    _, html = read(client, make_article())
    assert ">In bài</button>" in html and "data-print" in html
    assert ">Sao chép liên kết</button>" in html and f'data-copy-url="{URL}"' in html
    assert f'<input id="share-address" type="text" value="{URL}" readonly>' in html
    assert f'<p class="print-url">Địa chỉ bài viết: {URL}</p>' in html


def test_copy_script_says_the_link_was_copied_in_vietnamese(settings):
    """The confirmation a reader sees after copying."""
    script = (settings.BASE_DIR / "static/js/share.js").read_text()
    assert "Đã sao chép liên kết" in script
    assert "window.print()" in script


def test_print_stylesheet_hides_the_frame_and_keeps_byline_and_address(client, settings):
    """print.css drops menu and sidebar, keeps the byline and prints the page address."""
    css = (settings.BASE_DIR / "static/css/print.css").read_text()
    hidden = css.split("{", 1)[0]
    for selector in (".menu", ".sidebar", ".share", ".banner", ".footer"):
        assert selector in hidden
    assert ".article__author" not in hidden
    assert re.search(r"\.print-url\s*\{\s*display:\s*block", css)
    _, html = read(client, make_article(author="Mai Hoa"))
    assert 'media="print"' in html and "/static/css/print.css" in html
    assert '<p class="article__author">Mai Hoa</p>' in html
