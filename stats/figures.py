"""The figures a page shows live, from the apps that own them.

Stats owns visits, online visitors and article views; it stores views through the view store that
the articles' app registers (`register_view_store`), and other apps add figures of their own
(`register`, e.g. ratings). Each figure is mirrored in Redis under a name; "{a}" in a name stands
for the article of the page. A provider gives, for its figures:

- `templates(visitor_id, rated)`: the mirror names a page needs;
- `queries(visitor_id, article_id)`: (name, SQL subquery, params) reading each from the database,
  joined by stats into one query;
- `numbers(values)`: what the page's markers show, from {name: value}.
"""

import time
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from portal import units

from .models import DailyVisits, VisitCounter

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

_providers = []
_view_store = None


class ViewStore:
    """Where article views are kept: `add({article id: n})` in the caller's transaction; `query(id)`;
    `column`, the article's field holding them (read with the article, see `article_columns`)."""

    def __init__(self, add, query, column=None):
        self.add = add
        self.query = query
        self.column = column


def register(provider):
    if all(type(found) is not type(provider) for found in _providers):
        _providers.append(provider)


def register_view_store(add, query, column=None):
    """Called by the app whose articles are viewed: `add(views)` writes, `query(id)` gives (sql, params),
    `column` names the article's field that holds them."""
    global _view_store
    _view_store = ViewStore(add, query, column)


def article_columns(table, pk_column):
    """{mirror name: SQL expression, or the name of the article's own field} of the article's figures
    that its page's own query can read, `table` being that query's (quoted) article table and
    `pk_column` its id's: providers' `article_columns(id_column)` give (SQL, params) of subqueries
    on the article's id column.

    An article shown for the first time has none of its figures in Redis: read with the article and
    given to `offer`, they seed the mirrors in the counting call itself, instead of a query of their
    own and a second call (stats.counters). Raw SQL: resolving them as ORM subqueries cost about as
    much Python as the query they replace."""
    found = {}
    if _view_store is not None and _view_store.column:
        found["views:{a}"] = _view_store.column  # a field of the article itself: read, not annotated
    id_column = f"{table}.{connection.ops.quote_name(pk_column)}"
    for provider in _providers:
        if hasattr(provider, "article_columns"):
            for name, (sql, params) in provider.article_columns(id_column).items():
                found[name] = RawSQL(sql, params)
    return found


def _aliases(columns):
    return {name: found if isinstance(found, str) else f"figure_{n}" for n, (name, found) in enumerate(columns.items())}


def with_article_figures(articles):
    """`articles` (a queryset) reading `article_columns()` too; `figures_of` gives the figures of one
    of its articles."""
    model = articles.model
    columns = article_columns(connection.ops.quote_name(model._meta.db_table), model._meta.pk.column)
    aliases = _aliases(columns)
    return articles.annotate(**{aliases[name]: found for name, found in columns.items() if not isinstance(found, str)})


def figures_of(article):
    """{mirror name: value} of an article read through `with_article_figures`, for `offer`."""
    columns = article_columns(connection.ops.quote_name(article._meta.db_table), article._meta.pk.column)
    return {name: getattr(article, alias) for name, alias in _aliases(columns).items()}


def offer(request, article_id, values):
    """The values of `article_columns()` that this request's page read for `article_id`."""
    request.figures_read = (article_id, {name: value or 0 for name, value in values.items()}, time.monotonic())


def add_views(views):
    if _view_store is not None:
        _view_store.add(views)


def _q(model):
    return connection.ops.quote_name(model._meta.db_table)


def _day(day):
    return f"day:{units.owner_id()}:{day.isoformat()}"


def _visits():
    return f"visits:{units.owner_id()}"


def _offset():
    return f"offset:{units.owner_id()}"


def local_day(moment):
    """The calendar day of `moment` in Asia/Ho_Chi_Minh: what "Hôm nay" counts."""
    return timezone.localtime(moment, LOCAL_ZONE).date()


def mirror_templates(visitor_id, rated, day=None):
    day = day or local_day(timezone.now())
    names = [_visits(), _offset(), _day(day), "views:{a}"]
    for provider in _providers:
        names += provider.templates(visitor_id, rated)
    return names


def value_queries(visitor_id, article_id, day):
    """(name, subquery, params) for every mirrored value, as `read_values` joins them."""
    unit = units.owner_id()
    parts = [
        (_visits(), f"(SELECT COALESCE(SUM(visits), 0) FROM {_q(DailyVisits)} WHERE unit_id = %s)", [unit]),
        (_offset(), f"(SELECT COALESCE(MAX(starting_total), 0) FROM {_q(VisitCounter)} WHERE unit_id = %s)", [unit]),
        (
            _day(day),
            f"(SELECT COALESCE(MAX(visits), 0) FROM {_q(DailyVisits)} WHERE unit_id = %s AND day = %s)",
            [unit, day],
        ),
    ]
    if article_id:
        if _view_store is not None:
            parts.append(("views:{a}", *_view_store.query(article_id)))
        for provider in _providers:
            parts += provider.queries(visitor_id, article_id)
    return parts


def numbers(values, article_id, now, online):
    """What the markers show: {marker name: value}, and the article they are about."""
    found = {
        "visits-total": values.get(_visits(), 0) + values.get(_offset(), 0),
        "visits-today": values.get(_day(local_day(now)), 0),
        "visits-online": online,
        "article": article_id,
    }
    if article_id:
        found["views"] = values.get("views:{a}", 0)
        for provider in _providers:
            found.update(provider.numbers(values))
    return found
