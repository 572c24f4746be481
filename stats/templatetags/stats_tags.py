from django import template

from portal.live import marker

register = template.Library()


@register.inclusion_tag("stats/visit_block.html")
def visit_block():
    """The sidebar's "Thống kê truy cập"; the figures are filled per request."""
    return {
        "total": marker("visits-total"),
        "online": marker("visits-online"),
        "today": marker("visits-today"),
    }


@register.simple_tag
def article_views(article):
    """The article's view count; the page counts a view only when the article is public."""
    return marker("views" if article.is_public else "views-preview", article.pk)
