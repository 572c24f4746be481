"""Reads for the public news pages; each returns in a fixed number of queries."""

from django.core.cache import cache
from django.db.models import F, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from .models import MENU_CACHE_KEY, Article, Category


def menu_categories():
    """Top categories with their children, for the menu; cached until a category changes."""
    menu = cache.get(MENU_CACHE_KEY)
    if menu is None:
        categories = list(Category.objects.filter(show_in_menu=True))
        tops = [c for c in categories if c.parent_id is None]
        for top in tops:
            top.menu_children = [c for c in categories if c.parent_id == top.pk]
        menu = tops
        cache.set(MENU_CACHE_KEY, menu, 3600)
    return menu


def latest_by_top_category(per_category=4):
    """{top category id: [articles]} with the newest few of each, in one query."""
    ranked = (
        Article.objects.published()
        .for_listing()
        .annotate(
            top_id=Coalesce(F("category__parent_id"), F("category_id")),
            rank=Window(
                RowNumber(),
                partition_by=[Coalesce(F("category__parent_id"), F("category_id"))],
                order_by=[F("publish_at").desc(), F("id").desc()],
            ),
        )
        .filter(rank__lte=per_category)
    )
    blocks = {}
    for article in ranked:
        blocks.setdefault(article.top_id, []).append(article)
    return blocks


def related_articles(article, limit=5):
    return list(
        Article.objects.published().for_listing().filter(category_id=article.category_id).exclude(pk=article.pk)[:limit]
    )


def next_scheduled_at():
    """When the next scheduled article goes public (None if none is waiting): cached pages end there."""
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
