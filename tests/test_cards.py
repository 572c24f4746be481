"""Article cards rendered in Python (news.cards) give exactly what their former template gave."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone
from django.utils.safestring import mark_safe

from news.cards import cards, related_items
from news.models import Article
from tests.factories import image_upload, make_article

pytestmark = pytest.mark.django_db

# templates/news/article_cards.html as it was, the contract of news.cards.
TEMPLATE = """{% load portal_tags %}{% for article in cards %}<article class="card{% if wide %} card--wide{% endif %}">
  {% if article.cover_image %}<a class="card__image" href="{{ article.get_absolute_url }}" tabindex="-1" aria-hidden="true">{% picture article.cover_image article.cover_width article.cover_height "" sizes|default:"(max-width: 600px) 100vw, 300px" %}</a>{% endif %}
  <div class="card__body">
    <h3 class="card__title"><a href="{{ article.get_absolute_url }}">{{ article.title }}</a></h3>
    <p class="card__date"><time datetime="{{ article.publish_at|date:'c' }}">{{ article.publish_at|short_date }}</time></p>
    {% if show_sapo %}<p class="card__sapo">{{ article.sapo|truncatewords:40 }}</p>{% endif %}
  </div>
</article>{% empty %}{% if empty %}<p>{{ empty }}</p>{% endif %}{% endfor %}"""

# The items of "Tin liên quan" in templates/news/article.html as they were.
RELATED_TEMPLATE = """{% load portal_tags %}{% for item in related %}<li><a href="{{ item.get_absolute_url }}">{{ item.title }}</a> <span class="muted">({{ item.publish_at|short_date }})</span></li>{% endfor %}"""

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def articles():
    long_sapo = " ".join(f"từ{n}" for n in range(60)) + ' & <b>"đậm"</b>'
    first = make_article(
        title='Lễ khánh thành "cầu" <Kim Sơn> & Phát Diệm',
        sapo=long_sapo,
        cover_image=image_upload("cau kim-son.jpg"),
    )
    second = make_article(title="Tin ngắn", sapo="")
    make_article(title="Ảnh nhỏ", cover_image=image_upload("a.png", size=(400, 300), fmt="PNG"))
    make_article(title="Sapo ngắn", sapo="  Hai  khoảng\ttrắng\n <i>và</i> & dòng mới ")
    make_article(title="Sapo cắt sẵn", sapo=" ".join(["từ"] * 38 + ["cuối", "…", "thêm", "nữa"]))
    # 23:30 UTC on 30 November is 1 December in Hà Nội: the date is the portal's time zone's.
    Article.objects.filter(pk=first.pk).update(publish_at=datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC")))
    Article.objects.filter(pk=second.pk).update(publish_at=datetime(2026, 1, 5, 8, 0, tzinfo=HANOI))
    found = list(Article.objects.order_by("pk"))
    assert found[0].cover_width and found[2].cover_width
    return found


@pytest.mark.parametrize("wide, show_sapo, sizes", [(False, False, None), (True, True, None), (True, False, "50vw")])
def test_cards_match_the_template(wide, show_sapo, sizes):
    found = articles()
    context = {"cards": found, "wide": wide, "show_sapo": show_sapo, "sizes": sizes, "empty": "Chưa có <bài>."}
    expected = Template(TEMPLATE).render(Context(context))
    assert cards(found, wide, show_sapo, sizes, "Chưa có <bài>.") == expected
    assert "01/12/2026" in expected and "2026-12-01T06:30:00+07:00" in expected


def test_a_list_pages_rows_give_the_cards_its_articles_give():
    """A list page reads its articles as plain values (news.paging.ListedArticle), not instances:
    the same cards, cover images and addresses included."""
    from news.paging import _page

    found = articles()
    # A cover stored without its dimensions: the model reads them from the file when it is made.
    Article.objects.filter(pk=found[2].pk).update(cover_width=None, cover_height=None)
    found = list(Article.objects.order_by("pk"))
    newest = max(a.publish_at for a in found)
    listed = sorted(_page(None, True, timezone.now(), newest, newest), key=lambda a: a.pk)
    instances = sorted(found, key=lambda a: a.pk)
    assert [a.pk for a in listed] == [a.pk for a in instances]
    assert cards(listed, True, True) == cards(instances, True, True)
    assert [a.get_absolute_url() for a in listed] == [a.get_absolute_url() for a in instances]
    assert listed[0].cover_image.name == instances[0].cover_image.name and not listed[1].cover_image
    assert (listed[2].cover_width, listed[2].cover_height) == (400, 300) and "<img" in cards(listed[2:3])


def test_no_articles_show_the_empty_line_escaped_or_nothing():
    assert cards([], empty="Chưa có <bài>.") == "<p>Chưa có &lt;bài&gt;.</p>"
    assert Template(TEMPLATE).render(Context({"cards": [], "empty": "Chưa có <bài>."})) == cards(
        [], empty="Chưa có <bài>."
    )
    assert cards([]) == ""


def test_related_items_match_the_template():
    found = articles()
    expected = Template(RELATED_TEMPLATE).render(Context({"related": found}))
    assert related_items(found) == expected
    assert "&lt;Kim Sơn&gt; &amp; Phát Diệm" in expected and "(01/12/2026)" in expected
    assert related_items([]) == ""


def test_a_kept_article_writes_its_related_item_once_per_script_prefix(monkeypatch):
    """The articles of "Tin liên quan" are the ones each process keeps: shown on every article of
    their category, each item is written once, and again only under another script prefix."""
    from django.urls import clear_script_prefix, set_script_prefix

    found = articles()
    first = related_items(found)
    for article in found:
        monkeypatch.setattr(article, "get_absolute_url", lambda: pytest.fail("written again"))
    assert related_items(found) == first
    monkeypatch.undo()
    set_script_prefix("/cong-thong-tin/")
    try:
        expected = Template(RELATED_TEMPLATE).render(Context({"related": found}))
        assert related_items(found) == expected and 'href="/cong-thong-tin/tin-tuc/' in expected
    finally:
        clear_script_prefix()


@pytest.mark.parametrize(
    "sapo",
    [
        "",
        "  Hai  khoảng\ttrắng\n <i>và</i> & dòng mới ",
        " ".join(f"từ{n}" for n in range(60)) + " <b>&</b>",
        " ".join(["từ"] * 38 + ["cuối", "…", "thêm", "nữa"]),
        " ".join(["một"] * 50),
        " ".join(["một"] * 51),
    ],
)
def test_first_words_prints_what_truncatewords_prints(sapo):
    page = "{% load portal_tags %}[{{ sapo|first_words:40 }}][{{ sapo|first_words:50 }}]"
    former = "[{{ sapo|truncatewords:40 }}][{{ sapo|truncatewords:50 }}]"
    for value in (sapo, mark_safe(sapo)):
        assert Template(page).render(Context({"sapo": value})) == Template(former).render(Context({"sapo": value}))


@pytest.mark.parametrize(
    "moment",
    [
        None,
        "",
        datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC")),
        datetime(2026, 1, 5, 8, 0, 7, 12, tzinfo=HANOI),
        datetime(2026, 6, 1, 9, 15),
        date(2025, 7, 1),
    ],
)
def test_iso_time_prints_what_the_date_filter_prints(moment, settings):
    page = Template("{% load portal_tags %}{{ moment|iso_time }}")
    former = Template("{{ moment|date:'c' }}")
    for zone in ("Asia/Ho_Chi_Minh", "UTC"):
        with timezone.override(zone):
            assert page.render(Context({"moment": moment})) == former.render(Context({"moment": moment}))
