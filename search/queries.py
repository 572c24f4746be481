"""The search itself: the same words and the same order on PostgreSQL and SQLite.

A result matches when every word of the query is a word of its title or body (after folding:
no diacritics, "đ" as "d", lower case). Results whose title holds every word come first; among
equals, newer first.
"""

from django.db import connection
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import SearchEntry

# Counting every hit of a common word over a large table costs more than it tells a reader;
# beyond this the page says "hơn 1.000 kết quả".
MAX_COUNTED = 1000


def _tsquery(words, weight=""):
    # Words are [a-z0-9]+ (search.text.fold_words), so they need no quoting inside the tsquery.
    return " & ".join(f"{word}:{weight}" if weight else word for word in words)


def search_entries(words, kind=None, date_from=None, date_to=None):
    """SearchEntry rows matching all `words`, best first, with `title_hit` set."""
    if not words:
        return SearchEntry.objects.none()
    entries = SearchEntry.objects.filter(visible_from__lte=timezone.now()).defer("title_norm", "body_norm")
    if kind:
        entries = entries.filter(kind=kind)
    if date_from:
        entries = entries.filter(date__gte=date_from)
    if date_to:
        entries = entries.filter(date__lt=date_to)
    if connection.vendor == "postgresql":
        entries = entries.filter(
            RawSQL("search_vector @@ to_tsquery('simple', %s)", [_tsquery(words)], output_field=BooleanField())
        ).annotate(
            title_hit=RawSQL(
                "search_vector @@ to_tsquery('simple', %s)", [_tsquery(words, "A")], output_field=BooleanField()
            )
        )
    else:
        for word in words:
            entries = entries.filter(Q(title_norm__contains=f" {word} ") | Q(body_norm__contains=f" {word} "))
        in_title = Q()
        for word in words:
            in_title &= Q(title_norm__contains=f" {word} ")
        entries = entries.annotate(
            title_hit=Case(When(in_title, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
    return entries.order_by("-title_hit", "-date", "-id")


class CappedResults:
    """A result list for Paginator whose count stops at MAX_COUNTED."""

    def __init__(self, entries):
        self.entries = entries
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self.entries.order_by()[: MAX_COUNTED + 1].count()
        return min(self._count, MAX_COUNTED)

    @property
    def more_than_counted(self):
        self.count()
        return self._count > MAX_COUNTED

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return self.entries[item]
