"""RSS feeds carry titles and descriptions as text: a feed reader decoding them as HTML finds no markup."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from portal.models import SiteSettings
from tests.factories import make_article, make_category
from tests.test_sanitiser import XSS_PAYLOADS

pytestmark = pytest.mark.django_db


class ReaderView(HTMLParser):
    """What a feed reader makes of an element's text once it treats it as HTML: tags and plain text."""

    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_comment(self, data):
        self.tags.append("!--")

    def handle_data(self, data):
        self.text.append(data)


def read_as_a_feed_reader(client, url):
    """The feed's channel and item texts as a reader shows them; fails if any of them holds markup."""
    response = client.get(url)
    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")
    texts = {"channel": (channel.findtext("title"), channel.findtext("description")), "items": []}
    for item in channel.findall("item"):
        texts["items"].append((item.findtext("title"), item.findtext("description")))
    shown = {"channel": [], "items": []}
    for part, values in (("channel", [texts["channel"]]), ("items", texts["items"])):
        for title, description in values:
            pair = []
            for value in (title, description):
                view = ReaderView(value or "")
                assert view.tags == [], f"{url}: {value!r} becomes markup {view.tags}"
                pair.append("".join(view.text))
            shown[part].append(tuple(pair))
    return shown


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_corpus_in_titles_and_sapos_is_text_in_every_feed(client, payload):
    """Each payload comes out of the news feed and the category feed as the very text typed, never as markup."""
    SiteSettings.objects.update_or_create(pk=1, defaults={"site_title": payload[:120]})
    category = make_category(name=payload[:120])
    category.description = payload[:300]
    category.save()
    make_article(title=payload, sapo=payload, category=category)
    for url in ("/rss/", f"/chuyen-muc/{category.slug}/rss/"):
        shown = read_as_a_feed_reader(client, url)
        assert shown["items"] == [(payload, payload)], url
        title, description = shown["channel"][0]
        assert payload[:120] in title, url
    assert shown["channel"][0][1] == payload[:300]


def test_ampersands_and_quotes_are_escaped_once(client):
    """'Lúa & màu "vụ mùa"' reads the same in a feed reader, not as '&amp;amp;' or broken markup."""
    text = 'Lúa & màu "vụ mùa" <2025>'
    make_article(title=text, sapo=text)
    response = client.get("/rss/")
    assert "<title>Lúa &amp;amp; màu" in response.content.decode()
    assert read_as_a_feed_reader(client, "/rss/")["items"] == [(text, text)]
