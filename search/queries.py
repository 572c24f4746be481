"""The search itself: the same hits in the same order on PostgreSQL and SQLite.

A hit has every word of the query as a word of its title, lead or body, after folding (no
diacritics, "đ" as "d", lower case); the last word may also be the start of a longer word
(search.text.Query.prefix). PostgreSQL finds hits with its GIN full-text index, SQLite with LIKE
over the folded columns: the same words either way.

The order is a score that both databases compute alike, from plain LIKE conditions over the
folded and exact columns of each hit (see WEIGHTS), then newer first. docs/search.md explains
the weights and why ranking is not left to ts_rank.
"""

from django.db import connection
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.functional import cached_property

from .models import SearchEntry
from .text import Query, parse_query

# Counting every hit of a common word over a large table costs more than it tells a reader;
# beyond this the page says "Hơn 1.000 kết quả".
MAX_COUNTED = 1000
# Past MAX_COUNTED hits only this many of the newest title hits and of the newest hits are
# scored; the rest follow newest first.
MAX_RANKED = 200

# What each condition adds to a hit's score. The gaps keep the order a reader expects: the
# document whose number was typed, then the words side by side in the title, then all of them in
# the title, then the lead, then the body; the exact diacritics typed lift a hit within its part.
WEIGHTS = {
    "code": 2000,
    "title_phrase": 400,
    "title_all": 200,
    "title_whole": 50,
    "title_exact": 150,
    "lead_phrase": 80,
    "lead_all": 40,
    "lead_exact": 30,
    "body_phrase": 20,
}
PARTS = ("title_norm", "lead_norm", "body_norm")


def _has_word(column, word, prefix=False):
    return Q(**{f"{column}__contains": f" {word}" if prefix else f" {word} "})


def _has_all(columns, query):
    """Every word of `query` is a word of one of `columns`."""
    condition = Q()
    last = len(query.words) - 1
    wanted = {(word, query.prefix and n == last) for n, word in enumerate(query.words)}
    for word, prefix in sorted(wanted):
        either = Q()
        for column in columns:
            either |= _has_word(column, word, prefix)
        condition &= either
    return condition


def _tsquery(query):
    # Words are [a-z0-9]+ (search.text.fold_words): nothing to quote inside the tsquery.
    words = list(query.words)
    if query.prefix:
        words[-1] += ":*"
    return " & ".join(dict.fromkeys(words))


def _matches(query, columns):
    """The hits of `query` in the title ("title") or in any part ("all")."""
    if connection.vendor == "postgresql":
        vector = "search_vector" if columns == "all" else "title_vector"
        return RawSQL(f"{vector} @@ to_tsquery('simple', %s)", [_tsquery(query)], output_field=BooleanField())
    return _has_all(PARTS if columns == "all" else ("title_norm",), query)


def _may_be_a_number(query):
    """Every số/ký hiệu and procedure code starts with a number: "125/QĐ-UBND", "1.001193"."""
    return query.words[0].isdigit()


def _conditions(query):
    """(weight, condition) of every score condition that applies to `query`."""
    phrase = query.phrase()
    found = [("code", Q(code_norm__startswith=phrase))] if _may_be_a_number(query) else []
    found += [
        ("title_phrase", Q(title_norm__contains=phrase)),
        ("title_all", _has_all(("title_norm",), query)),
        ("lead_phrase", Q(lead_norm__contains=phrase)),
        ("lead_all", _has_all(("lead_norm",), query)),
        ("body_phrase", Q(body_norm__contains=phrase)),
    ]
    if query.prefix:
        # The last word typed out in full beats a longer word that merely starts with it.
        found.append(("title_whole", Q(title_norm__contains=query._replace(prefix=False).phrase())))
    if query.has_diacritics:
        found += [("title_exact", _has_exact("title_exact", query)), ("lead_exact", _has_exact("lead_exact", query))]
    return [(WEIGHTS[name], condition) for name, condition in found]


def _has_exact(column, query):
    """Every word typed with diacritics is there with the same diacritics ("Kim Đồng": "đồng", not "đông")."""
    condition = Q()
    last = len(query.words) - 1
    for n, (word, typed) in enumerate(zip(query.words, query.exact, strict=True)):
        if typed != word:
            condition &= _has_word(column, typed, query.prefix and n == last)
    return condition


def score(query):
    """The rank of a hit as one SQL expression: the sum of the weights of the conditions it meets."""
    total = Value(0)
    for weight, condition in _conditions(query):
        total = total + Case(When(condition, then=Value(weight)), default=Value(0))
    return total


class SearchResults:
    """The hits of a query, best first; sliceable and countable for Paginator, count capped.

    The capped count comes first and picks the plan. Up to MAX_COUNTED hits: one query scores and
    orders them all (the GIN index finds them; scoring a thousand rows is cheap). More: the newest
    MAX_RANKED title hits, the newest MAX_RANKED hits and any whose number was typed are scored and
    come first, the others follow by date alone. Either way a page among the first MAX_RANKED results
    costs two queries, whatever the number of hits; a deeper one a count of the candidates more.
    """

    def __init__(self, query, kind=None, date_from=None, date_to=None, unit_ids=None):
        self.query = query = query if isinstance(query, Query) else parse_query(query)
        # The unit being served (the default manager), or the units asked for (a province's search
        # of its communes): every plan below filters on the unit first.
        entries = SearchEntry.objects if unit_ids is None else SearchEntry.every_unit.filter(unit_id__in=unit_ids)
        entries = entries.filter(visible_from__lte=timezone.now()).defer(
            "title_norm", "lead_norm", "body_norm", "title_exact", "lead_exact", "code_norm"
        )
        if kind:
            entries = entries.filter(kind=kind)
        if date_from:
            entries = entries.filter(date__gte=date_from)
        if date_to:
            entries = entries.filter(date__lt=date_to)
        if not query.words:
            self.all_hits = self.ranked = self.title_hits = entries.none()
            return
        hits = entries.filter(_matches(query, "all"))
        self.all_hits = hits.order_by("-date", "-id")
        # A title hit is a hit (the title is part of every part): only the title's small vector is
        # read, never the whole text's, which is what made a walk for rare title hits slow.
        self.title_hits = entries.filter(_matches(query, "title")).order_by("-date", "-id")
        self.ranked = hits.annotate(score=score(query)).order_by("-score", "-date", "-id")

    def best_titles(self, limit):
        """The best `limit` hits with every word in the title (suggestions while typing)."""
        if not self.query.words:
            return []
        return list(self.ranked.filter(_matches(self.query, "title")).only("title", "url", "kind", "unit_id")[:limit])

    @cached_property
    def _total(self):
        # Unordered: the scan stops at the cap in table order (the newest hits by date would be a
        # walk of random pages, 6,000 of them for a query that one article in six matches).
        return self.all_hits.order_by()[: MAX_COUNTED + 1].count()

    def count(self):
        return min(self._total, MAX_COUNTED)

    @property
    def more_than_counted(self):
        return self._total > MAX_COUNTED

    def __len__(self):
        return self.count()

    @cached_property
    def _candidates(self):
        """Past MAX_COUNTED: the hits that are scored, as one subquery of the scored page: the newest
        hits, the newest title hits and any whose number was typed (each a short walk of the date
        index), so that scoring them never touches the other hits."""
        parts = [self.all_hits.values("pk")[:MAX_RANKED], self.title_hits.values("pk")[:MAX_RANKED]]
        if _may_be_a_number(self.query):
            by_number = self.all_hits.filter(code_norm__startswith=self.query.phrase())
            parts.append(by_number.values("pk")[:MAX_RANKED])
        # Each part inside a plain SELECT of its own (SQLite takes no LIMIT in a UNION's members); the
        # parts are already scoped to the units searched.
        first, *others = (SearchEntry.every_unit.filter(pk__in=part).order_by().values("pk") for part in parts)
        return Q(pk__in=first.union(*others))

    @cached_property
    def _candidate_count(self):
        """How many hits are scored; asked only for a page past the first MAX_RANKED results (the
        newest MAX_RANKED hits are always among them)."""
        return self.all_hits.filter(self._candidates).count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step:
            raise TypeError("SearchResults supports plain slices only.")
        start, stop = item.start or 0, min(item.stop if item.stop is not None else MAX_COUNTED, MAX_COUNTED)
        if start >= stop or not self._total:
            return []
        if self._total <= MAX_COUNTED:
            return list(self.ranked[start:stop])
        size, hits = MAX_RANKED if stop <= MAX_RANKED else self._candidate_count, []
        if start < size:
            hits += self.ranked.filter(self._candidates)[start : min(stop, size)]
        if stop > size:
            hits += self.all_hits.exclude(self._candidates)[max(0, start - size) : stop - size]
        return hits
