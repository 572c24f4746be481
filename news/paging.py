"""Article lists paged without a COUNT(*) or a deep OFFSET per request (docs/performance.md).

A list (every published article, or one category with its sub-categories) is cut into pages of a
fixed size, newest first. How many articles it holds and where each page starts (the publish time
and id of its first article) come from one query, kept as pages are kept (`portal.pagecache.cached`:
until any content is saved, PAGE_CACHE_SECONDS at most) and never used past the moment the next
scheduled article goes public. A page is then read as the articles from its start down to the next
page's start: an index range of one page of rows, whatever the depth, and the count stays exact.
"""

import threading
from array import array
from datetime import UTC, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.functional import cached_property

from portal import fragments
from portal.links import slug_url
from portal.pagecache import cached
from portal.shapes import Shape

from .models import Article
from .queries import next_scheduled_at

NEWEST_FIRST = (F("publish_at").desc(), F("id").desc())
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class PageStarts:
    """The exact count of a list and the (publish_at, id) of the first article of every page."""

    def __init__(self, total, moments, ids, valid_until):
        self.total = total
        self._moments = moments  # microseconds since the epoch, as array("q") for a small cache entry
        self._ids = ids
        self.valid_until = valid_until

    def __getitem__(self, index):
        return _EPOCH + self._moments[index] * _MICROSECOND, self._ids[index]

    def __len__(self):
        return len(self._ids)

    @classmethod
    def compute(cls, articles, per_page, valid_until):
        """Two queries (both read from an index alone): the count, and every page's first article."""
        total = articles.count()
        firsts = (
            articles.annotate(position=Window(RowNumber(), order_by=NEWEST_FIRST))
            .annotate(slot=(F("position") - 1) % per_page)
            .filter(slot=0)
            .order_by(*NEWEST_FIRST)
            .values_list("publish_at", "id")
        )
        moments, ids = array("q"), array("q")
        for publish_at, pk in firsts:
            moments.append((publish_at - _EPOCH) // _MICROSECOND)
            ids.append(pk)
        return cls(total, moments, ids, valid_until)


def page_starts(name, articles, per_page):
    """The PageStarts of `articles` (published ones, any order), kept under `name`.

    Kept in this process's memory (portal.fragments) in front of the shared cache. The threads of a
    process that miss at once (content just changed) wait for the first one's query.
    """
    key = f"news:pages:{name}:{per_page}"

    def compute():
        return PageStarts.compute(articles, per_page, next_scheduled_at())

    def shared():
        with _locks.setdefault(key, threading.Lock()):
            starts = cached(key, compute, until=next_scheduled_at)
        if starts.valid_until is not None and starts.valid_until <= timezone.now():
            # A scheduled article went public since (cache timeouts are whole seconds): count again.
            starts = compute()
        fragments.changes_at(starts.valid_until)
        return starts

    return fragments.kept(key, shared, share=False)  # `shared` reads the cache itself


_locks = {}


def _key(article):
    return article.publish_at, article.pk


def listed(family=None, at=None):
    """A list's articles, as cards read them: every published one, or those of the categories whose
    ids `family` holds (a category and its sub-categories)."""
    articles = Article.objects.published(at).for_cards()
    return articles if family is None else articles.filter(category_id__in=family)


class ListedArticle:
    """An article as a list page shows it: the values of its card (news.cards) and its place in the
    list, not a model instance (making a page's 12 or 13 instances cost more Python than its query:
    Model.__init__ and the cover's dimension signal for each)."""

    COLUMNS = ("id", "slug", "title", "sapo", "publish_at", "cover_image", "cover_width", "cover_height")
    __slots__ = COLUMNS

    def __init__(self, row):
        for name, value in zip(self.COLUMNS, row, strict=True):
            setattr(self, name, value)
        if self.cover_image:
            field = Article._meta.get_field("cover_image")
            self.cover_image = field.attr_class(None, field, self.cover_image)  # its name, as the model's
            if not (self.cover_width and self.cover_height):
                # As the model's dimension signal does for a row stored without them: from the file.
                self.cover_width, self.cover_height = self.cover_image.width, self.cover_image.height

    @property
    def pk(self):
        return self.id

    def get_absolute_url(self):
        return slug_url("news:article", self.slug)

    def __repr__(self):
        return f"<ListedArticle {self.id}: {self.title}>"


def _page_rows(family, last, at, newest, oldest):
    articles = listed(family, at).filter(publish_at__lte=newest)
    articles = articles if last else articles.filter(publish_at__gte=oldest)
    return articles.values_list(*ListedArticle.COLUMNS)


# A page's rows differ from request to request only in the moment and the page's bounds.
_page_values = Shape(_page_rows, fixed=2)


def _page(*args):
    return [ListedArticle(row) for row in _page_values(*args)]


class KeysetPaginator(Paginator):
    """A Paginator over published articles that reads each page by its start, not by OFFSET.

    `name` names the list for the cache (one per category, "all" for every article); `articles`
    must be that list, `listed(family)`.
    """

    def __init__(self, articles, per_page, name, family=None, **kwargs):
        super().__init__(articles, per_page, **kwargs)
        self.name, self.family = name, family

    def _check_object_list_is_ordered(self):
        """Pages are cut by their keys, newest first, whatever the list's order; `articles` may be a
        lazy object, built only if the starts are computed."""

    @cached_property
    def starts(self):
        return page_starts(self.name, self.object_list, self.per_page)

    @cached_property
    def count(self):
        return self.starts.total

    def page(self, number):
        number = self.validate_number(number)
        starts = self.starts
        if not starts.total:
            return Page([], number, self)
        first, now = starts[number - 1], timezone.now()
        if number < len(starts):
            # The time range from this page's start to the next page's: this page's articles, and
            # any published at the same moment as either start, which the keys then sort out.
            following = starts[number]
            found = [a for a in _page(self.family, False, now, first[0], following[0]) if _key(a) > following]
        else:
            # The last page, and any published at the moment of its start.
            found = _page(self.family, True, now, first[0], first[0])
        found = sorted((a for a in found if _key(a) <= first), key=_key, reverse=True)
        return Page(found[: self.per_page], number, self)
