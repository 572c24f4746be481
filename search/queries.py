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
from django.db.models import BooleanField, ExpressionWrapper, IntegerField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.functional import cached_property

from portal.shapes import Shape

from .models import SearchEntry
from .text import Query, parse_query

# Counting every hit of a common word over a large table costs more than it tells a reader;
# beyond this the page says "Hơn 1.000 kết quả".
MAX_COUNTED = 1000
# Past MAX_COUNTED hits only this many of the newest title hits and of the newest hits are
# scored; the rest follow newest first.
MAX_RANKED = 200
# PostgreSQL, past MAX_COUNTED: how many of the newest entries the walk for the newest hits reads
# before the full-text index is asked instead (_newest_sql).
WINDOW = 4000

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
# Read by the database only, never shown.
DEFERRED = ("title_norm", "lead_norm", "body_norm", "title_exact", "lead_exact", "code_norm")


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
        return _vector_match("search_vector" if columns == "all" else "title_vector", _tsquery(query))
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


# The lookups the score's conditions use, as the database writes them (django.db.models.lookups).
_PATTERNS = {"contains": "%%%s%%", "startswith": "%s%%"}


def _condition_sql(condition):
    """(SQL, params) of a condition of _conditions: `column__contains` / `column__startswith` tests
    joined by AND and OR, written as the ORM writes them (the same LIKE, escapes and parameters)
    without resolving every test as an expression, which was most of a new search's Python time."""
    if condition.negated:
        raise ValueError("A score condition is never negated.")
    parts, params = [], []
    for child in condition.children:
        if isinstance(child, Q):
            sql, child_params = _condition_sql(child)
        else:
            lookup, value = child
            column, kind = lookup.rsplit("__", 1)
            sql = f"{connection.ops.quote_name(column)} {connection.operators[kind] % '%s'}"
            child_params = [_PATTERNS[kind] % connection.ops.prep_for_like_query(value)]
        parts.append(f"({sql})")
        params += child_params
    return f" {condition.connector} ".join(parts), params


def _score_sql(query):
    """(SQL, params) of `score`: the same SQL for every query of the same words' shape (their number,
    a prefix, which are typed with diacritics, a number), the words' patterns its parameters."""
    cases, params = [], []
    for weight, condition in _conditions(query):
        sql, condition_params = _condition_sql(condition)
        cases.append(f"CASE WHEN {sql} THEN {int(weight)} ELSE 0 END")
        params += condition_params
    return f"({' + '.join(cases)})", params


def score(query):
    """The rank of a hit as one SQL expression: the sum of the weights of the conditions it meets."""
    sql, params = _score_sql(query)
    return RawSQL(sql, params, output_field=IntegerField())


def _sql(queryset):
    """(SQL, params) of a queryset, to build a statement the ORM cannot write."""
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _scoped(has_kind, has_from, has_to, unit_count, values):
    """(the entries searched, the values left): SearchResults' filters from `values` in order (the
    moment, the unit ids asked for, the type, the dates), as a shape builds them (portal.shapes)."""
    now, *values = values
    ids, values = values[: unit_count or 0], values[unit_count or 0 :]
    entries = SearchEntry.objects if unit_count is None else SearchEntry.every_unit.filter(unit_id__in=ids)
    entries = entries.filter(visible_from__lte=now).defer(*DEFERRED)
    if has_kind:
        kind, *values = values
        entries = entries.filter(kind=kind)
    if has_from:
        date_from, *values = values
        entries = entries.filter(date__gte=date_from)
    if has_to:
        date_to, *values = values
        entries = entries.filter(date__lt=date_to)
    return entries, values


def _vector_match(vector, tsquery):
    return RawSQL(f"{vector} @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField())


def _walked(which, values):
    """The condition of a walk for the newest hits: every word in any part ("hit"), in the title
    ("title"), or a hit whose number starts as typed ("number", the LIKE pattern a value)."""
    tsquery, *values = values
    if which == "title":
        return Q(_vector_match("title_vector", tsquery))
    hit = Q(_vector_match("search_vector", tsquery))
    if which == "number":
        (pattern,) = values
        sql = f"{connection.ops.quote_name('code_norm')} {connection.operators['startswith'] % '%s'}"
        return hit & Q(RawSQL(sql, [pattern], output_field=BooleanField()))
    return hit


def _window_rows(which, has_kind, has_from, has_to, unit_count, *values):
    entries, values = _scoped(has_kind, has_from, has_to, unit_count, values)
    test = ExpressionWrapper(_walked(which, values), output_field=BooleanField())
    return entries.order_by("-date", "-id").annotate(hit=test).values("pk", "date", "hit")[:WINDOW]


def _every_rows(which, has_kind, has_from, has_to, unit_count, *values):
    entries, values = _scoped(has_kind, has_from, has_to, unit_count, values)
    return entries.filter(_walked(which, values)).order_by().values("pk", "date")


def _flagged_rows(has_kind, has_from, has_to, unit_count, *values):
    """Every hit, each with whether it is a title hit too (the words are in its title)."""
    entries, values = _scoped(has_kind, has_from, has_to, unit_count, values)
    in_title = ExpressionWrapper(_walked("title", values), output_field=BooleanField())
    return (
        entries.filter(_walked("hit", values)).order_by().annotate(in_title=in_title).values("pk", "date", "in_title")
    )


# The walks of a new search are the same SQL for every query of the same filters: compiled once.
_window = Shape(_window_rows, fixed=5)
_every = Shape(_every_rows, fixed=5)
_flagged = Shape(_flagged_rows, fixed=4)


def _counted_rows(has_kind, has_from, has_to, unit_count, *values):
    """PostgreSQL: the hits that the capped count counts (at most MAX_COUNTED + 1, in table order)."""
    entries, (tsquery,) = _scoped(has_kind, has_from, has_to, unit_count, values)
    return entries.filter(_vector_match("search_vector", tsquery)).order_by().values("pk")[: MAX_COUNTED + 1]


def _scored_rows(candidates_sql, candidate_count, score_sql, start, stop, *values):
    """PostgreSQL, past the cap: the candidates (their SQL, then its `candidate_count` parameters
    first among `values`) scored by `score_sql` (its parameters the rest), best first."""
    candidates = RawSQL(candidates_sql, values[:candidate_count])
    scored = SearchEntry.every_unit.filter(pk__in=candidates).defer(*DEFERRED)
    scored = scored.annotate(score=RawSQL(score_sql, values[candidate_count:], output_field=IntegerField()))
    return scored.order_by("-score", "-date", "-id")[start:stop]


# A new search's count and scored page on PostgreSQL are the same SQL for every query of the same
# filters and words' shape: compiled once, the words, moment and units their values.
_counted = Shape(_counted_rows, fixed=4)
_scored = Shape(_scored_rows, fixed=5)


def _newest(rows, name, condition=""):
    """A subquery of the ids of the newest MAX_RANKED of `rows` (a subquery of pk and date) that meet
    `condition` (SQL over `name`, the rows' alias)."""
    where = f" WHERE {condition}" if condition else ""
    return f"SELECT {name}.pk FROM {rows} {name}{where} ORDER BY {name}.date DESC, {name}.pk DESC LIMIT {MAX_RANKED}"


def _newest_sql(which, scope, values, name):
    """PostgreSQL: (SQL, params) of the ids of the newest MAX_RANKED entries of `scope` (the filters
    and their values, as _scoped reads them) meeting the condition `which` (_walked).

    Walking the date index and testing each entry is quick for common words and slow for rare
    ones (every entry of the unit is read for a word that no title has); the full-text index and a
    sort are the reverse. The planner cannot choose well (its estimate for a word it has no
    statistics of can be far off), so both are bounded: the walk reads at most the newest WINDOW
    entries, and only when it finds fewer than MAX_RANKED there do the index and a sort find them
    (then the condition holds for at most about MAX_RANKED in WINDOW entries, a small share)."""
    (walk_sql, walk_params), (every_sql, every_params) = (
        _window.sql(which, *scope, *values),
        _every.sql(which, *scope, *values),
    )
    # OFFSET 0 keeps the planner from walking the date index again for the sorted LIMIT; the
    # one-time filter skips the index altogether when the walk found enough.
    sql = (
        f"WITH {name} AS MATERIALIZED ({_newest(f'({walk_sql})', 'walked', 'walked.hit')}) "
        f"SELECT {name}.pk FROM {name} UNION SELECT indexed.pk FROM "
        f"({_newest(f'({every_sql} OFFSET 0)', 'found', f'(SELECT COUNT(*) FROM {name}) < {MAX_RANKED}')}) indexed"
    )
    return sql, (*walk_params, *every_params)


def _newest_hits_and_titles_sql(scope, values):
    """PostgreSQL: (SQL, params) of the ids of the newest MAX_RANKED hits and of the newest MAX_RANKED
    title hits of `scope`, each as _newest_sql finds them, but with one read of the full-text index
    for both when both walks fall short.

    A title hit is a hit, so a window with fewer than MAX_RANKED hits has fewer title hits still:
    then the hits the index finds, each marked whether it is a title hit, give the newest of both
    (reading the index and the table for the hits again for the title hits was a search's slowest
    query: a word in about one entry in twenty-five read its few thousand hits twice). When only the
    title walk falls short, the title's own index finds its hits, as before."""
    (hit_walk, hit_params), (title_walk, title_params), (flagged, flagged_params), (titles, titles_params) = (
        _window.sql("hit", *scope, *values),
        _window.sql("title", *scope, *values),
        _flagged.sql(*scope, *values),
        _every.sql("title", *scope, *values),
    )
    hits_short = f"(SELECT COUNT(*) FROM walked_hits) < {MAX_RANKED}"
    titles_short = f"(SELECT COUNT(*) FROM walked_titles) < {MAX_RANKED}"
    sql = (
        f"WITH walked_hits AS MATERIALIZED ({_newest(f'({hit_walk})', 'walked', 'walked.hit')}), "
        f"walked_titles AS MATERIALIZED ({_newest(f'({title_walk})', 'walked', 'walked.hit')}), "
        f"flagged AS MATERIALIZED (SELECT every.pk, every.date, every.in_title FROM ({flagged} OFFSET 0) every "
        f"WHERE {hits_short}) "
        "SELECT walked_hits.pk FROM walked_hits UNION SELECT walked_titles.pk FROM walked_titles "
        f"UNION SELECT newest_hits.pk FROM ({_newest('flagged', 'found')}) newest_hits "
        f"UNION SELECT newest_titles.pk FROM ({_newest('flagged', 'found', f'found.in_title AND {titles_short}')}) "
        "newest_titles "
        f"UNION SELECT indexed.pk FROM ({_newest(f'({titles} OFFSET 0)', 'found', f'{titles_short} AND NOT {hits_short}')}) "
        "indexed"
    )
    return sql, (*hit_params, *title_params, *flagged_params, *titles_params)


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
        given = [value for value in (kind, date_from, date_to) if value]
        self._scope = (bool(kind), bool(date_from), bool(date_to), None if unit_ids is None else len(unit_ids))
        self._values = (timezone.now(), *(unit_ids or ()), *given)
        entries, _ = _scoped(*self._scope, self._values)
        if not query.words:
            self.all_hits = self.ranked = self.title_hits = entries.none()
            return
        self._entries = entries

    @cached_property
    def _hits(self):
        return self._entries.filter(_matches(self.query, "all"))

    @cached_property
    def all_hits(self):
        """Every hit, newest first."""
        return self._hits.order_by("-date", "-id")

    @cached_property
    def title_hits(self):
        """The hits with every word in the title, newest first."""
        return self._entries.filter(_matches(self.query, "title")).order_by("-date", "-id")

    @cached_property
    def ranked(self):
        """Every hit scored, best first: built only when read (up to MAX_COUNTED hits, suggestions),
        since a search past the cap scores only its candidates, and building the scoring expression
        is a good part of a new search's Python time."""
        return self._hits.annotate(score=score(self.query)).order_by("-score", "-date", "-id")

    def best_titles(self, limit):
        """The best `limit` hits with every word in the title (suggestions while typing)."""
        if not self.query.words:
            return []
        return list(self.ranked.filter(_matches(self.query, "title")).only("title", "url", "kind", "unit_id")[:limit])

    @cached_property
    def _total(self):
        # Unordered: the scan stops at the cap in table order (the newest hits by date would be a
        # walk of random pages, 6,000 of them for a query that one article in six matches).
        if not self.query.words:
            return 0
        if connection.vendor == "postgresql":
            sql, params = _counted.sql(*self._scope, *self._values, _tsquery(self.query))
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)
                return cursor.fetchone()[0]
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
        if connection.vendor == "postgresql":
            return Q(pk__in=RawSQL(*self._candidates_sql))
        number = Q(code_norm__startswith=self.query.phrase())
        hit = _matches(self.query, "all")
        conditions = [Q(hit), Q(_matches(self.query, "title"))]
        if _may_be_a_number(self.query):
            conditions.append(Q(hit) & number)
        parts = [self._entries.filter(c).order_by("-date", "-id").values("pk")[:MAX_RANKED] for c in conditions]
        # Each part inside a plain SELECT of its own (SQLite takes no LIMIT in a UNION's members); the
        # parts are already scoped to the units searched.
        first, *others = (SearchEntry.every_unit.filter(pk__in=part).order_by().values("pk") for part in parts)
        return Q(pk__in=first.union(*others))

    @cached_property
    def _candidates_sql(self):
        """PostgreSQL: (SQL, params) of the candidates' ids."""
        # A title hit is a hit (the title is part of every part): the title walk reads only the
        # title's small vector, never the whole text's, which is what made it slow for rare words.
        # Compiled once for every query with the same filters (_window, _every, _flagged): the words
        # and the number typed are values.
        values = (*self._values, _tsquery(self.query))
        parts = [_newest_hits_and_titles_sql(self._scope, values)]
        if _may_be_a_number(self.query):
            number = _condition_sql(Q(code_norm__startswith=self.query.phrase()))[1]
            parts.append(_newest_sql("number", self._scope, (*values, *number), "walked_numbers"))
        sql = " UNION ".join(f"({part})" for part, _ in parts)
        return sql, [param for _, params in parts for param in params]

    def _scored(self, start, stop):
        """The candidates from `start` to `stop`, best first."""
        if connection.vendor == "postgresql":
            (sql, params), (score_sql, score_params) = self._candidates_sql, _score_sql(self.query)
            return _scored(sql, len(params), score_sql, start, stop, *params, *score_params)
        candidates = SearchEntry.every_unit.filter(self._candidates).defer(*DEFERRED)
        return candidates.annotate(score=score(self.query)).order_by("-score", "-date", "-id")[start:stop]

    @cached_property
    def _candidate_count(self):
        """How many hits are scored; asked only for a page past the first MAX_RANKED results (the
        newest MAX_RANKED hits are always among them)."""
        return SearchEntry.every_unit.filter(self._candidates).count()

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
            # The candidates are hits already: read by primary key, never by another scan of the hits.
            hits += self._scored(start, min(stop, size))
        if stop > size:
            hits += self.all_hits.exclude(self._candidates)[max(0, start - size) : stop - size]
        return hits
