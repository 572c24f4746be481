from django import template

register = template.Library()


@register.inclusion_tag("ratings/rating_block.html")
def rating_block(article):
    """The article's `Đánh giá cho bài viết:` block."""
    return {"article": article, "average": 0, "count": 0}
