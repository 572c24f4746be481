"""The search itself: the same hits in the same order on PostgreSQL and SQLite.

A result matches when every word of the query is a word of its title or body (after folding:
no diacritics, "đ" as "d", lower case). Results whose title holds every word come first; among
equals, newer first.

The two groups are read as two queries, each ordered by date alone, so that PostgreSQL can
answer a common word by walking the date index and stopping after one page, and a rare word
through the GIN index, instead of ranking every hit of a word found in half the archive.
"""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import SearchEntry

# Counting every hit of a common word over a large table costs more than it tells a reader;
# beyond this the page says "Hơn 1.000 kết quả".
MAX_COUNTED = 1000


def _matches(words, column):
    """Every word is a word of `column`: "title" or "all" (title and body)."""
    if connection.vendor == "postgresql":
        # Words are [a-z0-9]+ (search.text.fold_words): nothing to quote inside the tsquery.
        vector = "title_vector" if column == "title" else "search_vector"
        return RawSQL(f"{vector} @@ to_tsquery('simple', %s)", [" & ".join(words)], output_field=BooleanField())
    condition = Q()
    for word in words:
        if column == "title":
            condition &= Q(title_norm__contains=f" {word} ")
        else:
            condition &= Q(title_norm__contains=f" {word} ") | Q(body_norm__contains=f" {word} ")
    return condition


class SearchResults:
    """The hits of `words`, best first; sliceable and countable for Paginator, count capped."""

    def __init__(self, words, kind=None, date_from=None, date_to=None):
        self.words = words
        entries = SearchEntry.objects.filter(visible_from__lte=timezone.now()).defer("title_norm", "body_norm")
        if kind:
            entries = entries.filter(kind=kind)
        if date_from:
            entries = entries.filter(date__gte=date_from)
        if date_to:
            entries = entries.filter(date__lt=date_to)
        if not words:
            entries = entries.none()
        else:
            entries = entries.filter(_matches(words, "all"))
        self.all_hits = entries.order_by("-date", "-id")
        self.title_hits = self.all_hits.filter(_matches(words, "title")) if words else entries
        self.body_hits = self.all_hits.exclude(_matches(words, "title")) if words else entries
        self._counts = None

    def _count(self):
        if self._counts is None:
            capped = MAX_COUNTED + 1
            self._counts = (
                self.all_hits.order_by()[:capped].count(),
                self.title_hits.order_by()[:capped].count(),
            )
        return self._counts

    def count(self):
        return min(self._count()[0], MAX_COUNTED)

    @property
    def more_than_counted(self):
        return self._count()[0] > MAX_COUNTED

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step:
            raise TypeError("SearchResults supports plain slices only.")
        start, stop = item.start or 0, item.stop if item.stop is not None else MAX_COUNTED
        total, in_title = self._count()
        hits = []
        if start < in_title:
            hits += list(self.title_hits[start : min(stop, in_title)])
        if stop > in_title and total > in_title:
            hits += list(self.body_hits[max(0, start - in_title) : stop - in_title])
        return hits
