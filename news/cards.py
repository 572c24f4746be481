"""The cards of article lists (home, Tin tức, category pages), rendered in Python.

A list page shows 12 to 20 cards, and a crawler walking a category's archive asks for every page
once, so no cache helps: through the template engine the cards were about a third of such a page's
time. This renders the same HTML the former `news/article_cards.html` template did, escaped alike
(`tests/test_cards.py` holds that template and compares).
"""

from html import escape as _escape

from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal.dates import iso_and_short_date, short_date
from portal.links import slug_urls
from portal.templatetags.portal_tags import first_words, picture

CARD_IMAGE_SIZES = "(max-width: 600px) 100vw, 300px"


def card(article, wide=False, show_sapo=False, sizes=None, url_of=None, zone=None):
    """One card. `url_of` (an article's address from its slug, Article.get_absolute_url) and `zone`
    (the current time zone) are looked up once by `cards` for a whole list."""
    # Django's escape() is the standard library's on a str, without its lazy-text wrapper.
    url = _escape(url_of(article.slug) if url_of else article.get_absolute_url())
    image = ""
    if article.cover_image:
        shown = picture(article.cover_image, article.cover_width, article.cover_height, "", sizes or CARD_IMAGE_SIZES)
        image = f'<a class="card__image" href="{url}" tabindex="-1" aria-hidden="true">{shown}</a>'
    iso, shown_date = iso_and_short_date(article.publish_at, zone)
    sapo = f'<p class="card__sapo">{_escape(first_words(article.sapo, 40))}</p>' if show_sapo else ""
    return (
        f'<article class="card{" card--wide" if wide else ""}">\n'
        f"  {image}\n"
        '  <div class="card__body">\n'
        f'    <h3 class="card__title"><a href="{url}">{_escape(article.title)}</a></h3>\n'
        f'    <p class="card__date"><time datetime="{iso}">{shown_date}</time></p>\n'
        f"    {sapo}\n"
        "  </div>\n"
        "</article>"
    )


def cards(articles, wide=False, show_sapo=False, sizes=None, empty=""):
    """The cards of `articles`, or `empty` in a paragraph when there are none."""
    url_of, zone = slug_urls("news:article"), timezone.get_current_timezone()
    html = "".join(card(article, wide, show_sapo, sizes, url_of, zone) for article in articles)
    if not html and empty:
        html = f"<p>{escape(empty)}</p>"
    return mark_safe(html)  # noqa: S308 - every value above is escaped or built by format_html (picture)


def related_items(articles):
    """The `<li>` items of "Tin liên quan": a link to each article and its date in brackets.

    The articles come from the newest ones each process keeps per category and content version
    (news.queries.newest_by_category), shown on every article of their category: each one's item
    is written once and kept on it, for the script prefix and time zone it was written for.
    """
    written_for = (get_script_prefix(), timezone.get_current_timezone())
    items = []
    for article in articles:
        kept = getattr(article, "_related_item", None)
        if kept is None or kept[0] != written_for:
            item = (
                f'<li><a href="{escape(article.get_absolute_url())}">{escape(article.title)}</a> '
                f'<span class="muted">({short_date(article.publish_at)})</span></li>'
            )
            kept = article._related_item = (written_for, item)
        items.append(kept[1])
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped
