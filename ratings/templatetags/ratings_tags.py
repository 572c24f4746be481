from django import template

from portal.live import marker

register = template.Library()


@register.simple_tag
def rating_block(article):
    """The article's `Đánh giá cho bài viết:` block, filled per request (never frozen by the page cache)."""
    return marker("rating", article.pk)
