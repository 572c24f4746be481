"""Reads for the public news pages; each returns in a fixed number of queries."""

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from portal import fragments, units

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
    newest = newest_by_category(limit + 1).get(article.category_id, [])
    return [other for other in newest if other.pk != article.pk][:limit]


def next_scheduled_at():
    """When the next scheduled article goes public (None if none is waiting): cached pages end there.

    Asked by every page that is rendered, so kept per process and content version until that moment.
    """

    return fragments.kept("news:next-scheduled", lambda: _next_public_moment(Article.objects.all()))


def _next_public_moment(articles):
    """When the first of `articles` that is scheduled goes public (None: none is waiting); what is
    kept with it ends then."""
    moment = (
        articles.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    fragments.changes_at(moment)
    return moment


def next_commune_scheduled_at():
    """When the next scheduled article of the current unit's communes and wards goes public (None if
    none is waiting or the unit has none): a province's pages show their news ("Tin từ các xã", a
    search of the whole province), so they end there too. Kept like `next_scheduled_at`, per
    province and content version (a commune's article saved makes its province's version new)."""
    children = units.children_of(units.owner_id())
    if not children:
        return None

    communes = Article.every_unit.filter(unit_id__in=[child.pk for child in children])
    return fragments.kept("news:next-commune-scheduled", lambda: _next_public_moment(communes))


def categories_by_slug():
    """{slug: category} with `parent` and `children` (a list) filled, kept per content version."""

    def read():
        categories = {category.pk: category for category in Category.objects.all()}
        for category in categories.values():
            category.children_list = []
        for category in categories.values():
            if category.parent_id is not None:
                category.parent = categories[category.parent_id]
                category.parent.children_list.append(category)
        return {category.slug: category for category in categories.values()}

    return fragments.kept("news:categories", read)


def categories_by_id():
    """{id: category} of the kept categories (categories_by_slug)."""
    # Derived from the kept (and shared) slug map: kept in this process only.
    return fragments.kept(
        "news:categories-by-id", lambda: {c.pk: c for c in categories_by_slug().values()}, share=False
    )


def newest_by_category(limit):
    """{category id: its newest published articles, at most `limit`} for every category of the unit
    ("Tin liên quan"), kept per content version as one value: a worker meeting a unit takes every
    category's list at once. One query on PostgreSQL (a union of one short index walk per category),
    one per category elsewhere."""

    def read():
        next_scheduled_at()  # the lists change when a scheduled article appears
        published = (
            Article.objects.published()
            .only("title", "slug", "publish_at", "category_id")
            .order_by("-publish_at", "-id")
        )
        walks = [published.filter(category_id=pk)[:limit] for pk in categories_by_id()]
        if len(walks) > 1 and connection.features.supports_slicing_ordering_in_compound:
            found = list(walks[0].union(*walks[1:], all=True))
        else:
            found = [article for walk in walks for article in walk]
        found.sort(key=lambda article: (article.publish_at, article.pk), reverse=True)
        lists = {}
        for article in found:
            lists.setdefault(article.category_id, []).append(article)
        return lists

    return fragments.kept(f"news:newest-by-category:{limit}", read)


COMMUNE_NEWS = 8


def commune_news(unit_id, limit=COMMUNE_NEWS):
    """A province's "Tin từ các xã": the newest published articles of its communes and wards, in one
    query; each with `portal_unit` (the commune). Empty for a unit without children."""
    children = units.children_of(unit_id)
    if not children:
        return []
    found = list(
        Article.every_unit.published()
        .filter(unit_id__in=[child.pk for child in children])
        .only("title", "slug", "sapo", "publish_at", "cover_image", "cover_width", "cover_height", "unit_id")
        .order_by("-publish_at", "-id")[:limit]
    )
    for article in found:
        article.portal_unit = units.get(article.unit_id)
    return found
