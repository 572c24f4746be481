from django import template

from news import cards, queries

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
