"""The search itself: the same hits in the same order on PostgreSQL and SQLite.

A result matches when every word of the query is a word of its title or body (after folding:
no diacritics, "đ" as "d", lower case). Title hits come first; among
equals, newer first.

How the hits are read depends on how many there are: see SearchResults.
"""

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.functional import cached_property

from .models import SearchEntry

# Counting every hit of a common word over a large table costs more than it tells a reader;
# beyond this the page says "Hơn 1.000 kết quả".
MAX_COUNTED = 1000


def _matches(words, column):
    """Every word is a word of `column`: "title" or "all" (title and body)."""
    if connection.vendor == "postgresql":
        # Words are [a-z0-9]+ (search.text.fold_words): nothing to quote inside the tsquery.
        vector = "search_vector" if column == "all" else "title_vector"
        return RawSQL(f"{vector} @@ to_tsquery('simple', %s)", [" & ".join(words)], output_field=BooleanField())
    condition = Q()
    for word in words:
        if column == "title":
            condition &= Q(title_norm__contains=f" {word} ")
        else:
            condition &= Q(title_norm__contains=f" {word} ") | Q(body_norm__contains=f" {word} ")
    return condition


class SearchResults:
    """The hits of `words`, best first; sliceable and countable for Paginator, count capped.

    Best first means: hits with every word in the title, then the others; newer first within
    each tier. (Ranking words side by side first was tried and dropped: PostgreSQL estimates a
    phrase like a plain AND, and a rare phrase of common words then costs a full scan.)

    The capped count comes first and picks the plan. Up to MAX_COUNTED hits: one query ranks
    them all (the GIN index finds them; sorting a thousand rows is cheap). More: each tier is
    read as its own query ordered by date alone, which PostgreSQL answers by walking the date
    index and stopping after the page, instead of ranking half the archive.
    """

    def __init__(self, words, kind=None, date_from=None, date_to=None):
        entries = SearchEntry.objects.filter(visible_from__lte=timezone.now()).defer("title_norm", "body_norm")
        if kind:
            entries = entries.filter(kind=kind)
        if date_from:
            entries = entries.filter(date__gte=date_from)
        if date_to:
            entries = entries.filter(date__lt=date_to)
        if not words:
            self.all_hits = self.ranked = entries.none()
            self.tiers = [self.all_hits]
            return
        conditions = [_matches(words, "title")]
        hits = entries.filter(_matches(words, "all"))
        self.all_hits = hits.order_by("-date", "-id")
        self.tiers = []
        rest = self.all_hits
        for condition in conditions:
            self.tiers.append(rest.filter(condition))
            rest = rest.exclude(condition)
        self.tiers.append(rest)
        tier = Case(
            *(When(condition, then=Value(len(conditions) - n)) for n, condition in enumerate(conditions)),
            default=Value(0),
            output_field=IntegerField(),
        )
        self.ranked = hits.annotate(tier=tier).order_by("-tier", "-date", "-id")

    @cached_property
    def _total(self):
        return self.all_hits.order_by()[: MAX_COUNTED + 1].count()

    def count(self):
        return min(self._total, MAX_COUNTED)

    @property
    def more_than_counted(self):
        return self._total > MAX_COUNTED

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step:
            raise TypeError("SearchResults supports plain slices only.")
        start, stop = item.start or 0, min(item.stop if item.stop is not None else MAX_COUNTED, MAX_COUNTED)
        if start >= stop or not self._total:
            return []
        if self._total <= MAX_COUNTED:
            return list(self.ranked[start:stop])
        hits, offset = [], 0
        for number, tier in enumerate(self.tiers):
            last = number == len(self.tiers) - 1
            # How many of this tier's hits fall before the end of the slice.
            size = stop - offset if last else tier.order_by()[: stop - offset].count()
            if start - offset < size:
                hits += tier[max(0, start - offset) : size]
            offset += size
            if offset >= stop:
                break
        return hits
