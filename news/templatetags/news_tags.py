from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from news import cards, queries
from portal.templatetags.portal_tags import first_words, iso_time
from portal.templatetags.share_tags import canonical_url, share_image

register = template.Library()


@register.simple_tag
def menu_categories():
    return queries.menu_categories()


@register.simple_tag
def category_crumbs(category, last_is_link=True):
    """[(label, url)] from the top category down to `category`."""
    crumbs = []
    if category.parent_id:
        crumbs.append((category.parent.name, category.parent.get_absolute_url()))
    crumbs.append((category.name, category.get_absolute_url() if last_is_link else None))
    return crumbs


@register.simple_tag
def article_cards(articles, wide=False, show_sapo=False, sizes=None, empty=""):
    """{% article_cards articles wide=True show_sapo=True empty="…" %}: one card per article (news.cards)."""
    return cards.cards(articles, wide, show_sapo, sizes, empty)


@register.simple_tag
def related_items(articles):
    """{% related_items related %}: the items of "Tin liên quan" (news.cards)."""
    return cards.related_items(articles)


@register.simple_tag(takes_context=True)
def article_meta(context, article):
    """{% article_meta article %}: the Open Graph and Twitter tags of an article page, written in
    Python (as an include they were a tenth of an uncached article); tests/test_page_parts.py
    holds the former template and compares."""
    e = conditional_escape
    cover = share_image(context, article.cover_image, article.cover_width, article.cover_height)
    title, sapo = e(article.title), e(first_words(article.sapo, 50))
    category = article.category.name if article.category is not None else ""
    html = (
        "\n"
        '  <meta property="og:type" content="article">\n'
        f'  <meta property="og:site_name" content="{e(context.get("site", ""))}">\n'
        '  <meta property="og:locale" content="vi_VN">\n'
        f'  <meta property="og:title" content="{title}">\n'
        f'  <meta property="og:description" content="{sapo}">\n'
        f'  <meta property="og:url" content="{e(canonical_url(context))}">\n'
        f'  <meta property="article:published_time" content="{iso_time(article.publish_at)}">\n'
        f'  <meta property="article:section" content="{e(category)}">\n  '
    )
    if cover:
        image, width, height = e(cover[0]), cover[1], cover[2]
        html += (
            f'<meta property="og:image" content="{image}">\n'
            f'  <meta property="og:image:width" content="{width}">\n'
            f'  <meta property="og:image:height" content="{height}">\n'
            f'  <meta property="og:image:alt" content="{e(article.cover_alt)}">\n  '
        )
    html += (
        f'<meta name="twitter:card" content="{"summary_large_image" if cover else "summary"}">\n'
        f'  <meta name="twitter:title" content="{title}">\n'
        f'  <meta name="twitter:description" content="{sapo}">\n  '
    )
    if cover:
        html += f'<meta name="twitter:image" content="{image}">\n  <meta name="twitter:image:alt" content="{e(article.cover_alt)}">'
    return mark_safe(html + "\n")  # noqa: S308 - every value above is escaped
