"""Queries compiled once and run again with other values (docs/performance.md).

Building a queryset and compiling it to SQL costs more Python than running it when a page reads one
article or one page of cards: most of a cold article's query, a good part of a deep category page.
The SQL of such a read is the same on every request but for a few values (the slug asked for, the
moment, where the page starts, the unit being served). A `Shape` builds its queryset once per
process and `fixed` arguments, with stand-ins where those values go, compiles it, and afterwards runs the same SQL with
the request's values put where the stand-ins were: the same rows, as the same model instances
(Django's own ModelIterable builds them), as the queryset built with those values would give.

It is compiled twice, with two sets of stand-ins, and kept only when the SQL is the same and the
parameters differ exactly where a stand-in went, unchanged: a value that a lookup transforms (a
`__contains` pattern, a date of a datetime) or that changes the SQL (an `__in` list) cannot be a
value of a shape, and such a shape runs its queryset built anew each time instead (an error in
tests, through `strict`).

A shape's queryset may also be a `values_list()` of the model's own fields: its rows are then the
same tuples, converted as Django converts them (for a list that only shows the values, making a
model instance of each row cost more Python than the query).
"""

import copy
from datetime import UTC, datetime
from types import SimpleNamespace

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.query import ModelIterable, ValuesListIterable
from django.db.models.sql.constants import MULTI

from . import units

# Shapes per process are few (a read per page kind and list: the unit is a value); past this many
# the kept ones are dropped and compiled again, so that a process stays small.
MAX_KEPT = 2000


def _stand_ins(values, round_):
    """Values of the same types as `values`, unlike any a query holds."""
    found = []
    for n, value in enumerate(values):
        if isinstance(value, datetime):
            found.append(datetime(1801 + n + 50 * round_, 2, 3, 4, 5, 6, 7089 + n, tzinfo=UTC))
        elif isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"A value of a shape is a datetime, an int or a str, not {type(value).__name__}.")
        elif isinstance(value, int):
            found.append(-7_654_321_000 - n - 1000 * round_)
        else:
            found.append(f"\u2060stand-in {round_}:{n}\u2060")
    return found


def _adapted(connection, value):
    """`value` as a lookup hands it to the database (DateTimeField.get_db_prep_value)."""
    return connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value


class _Compiled:
    def __init__(self, queryset, compiler, sql, params, positions):
        self.model, self.db = queryset.model, queryset.db
        self.compiler, self.sql, self.params, self.positions = compiler, sql, params, positions
        self.tuples = queryset._iterable_class is ValuesListIterable

    def params_for(self, values):
        connection = connections[self.db]
        params = list(self.params)
        for position, n in self.positions:
            params[position] = _adapted(connection, values[n])
        return params

    def rows(self, values):
        params = self.params_for(values)
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.db]  # this thread's connection, not the compiling one's
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)
        if self.tuples:  # what ValuesListIterable gives for fields of the model, in the order named
            return list(compiler.results_iter(compiler.execute_sql(MULTI), tuple_expected=True))
        return list(ModelIterable(_CompiledQuerySet(self, compiler)))


class _CompiledQuerySet:
    """What ModelIterable reads of a queryset."""

    _known_related_objects = {}

    def __init__(self, compiled, compiler):
        self.model, self.db, self.query, self._compiler = compiled.model, compiled.db, self, compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler


class Shape:
    """`build(*fixed, *values)` -> a queryset, run as compiled SQL with `values` in place.

    `fixed` (the first `fixed` arguments, hashable) pick the SQL: a list's categories, whether a
    page is the last one; the others are values (datetimes, ints, strings) that reach the SQL as
    parameters of plain comparisons. The unit being served is a value too (its managers' filter,
    compiled under a stand-in id), so one SQL serves every unit.
    """

    strict = False  # tests: a build that cannot be a shape is an error, not a slower read

    def __init__(self, build, fixed=0):
        self._build, self._fixed = build, fixed
        self._kept = {}

    def __call__(self, *args):
        """The rows, as the queryset built from `args` gives them (list(queryset))."""
        fixed, values = args[: self._fixed], args[self._fixed :]
        # The unit being served is one more value (its managers' filter): one SQL for every unit.
        unit_id = units.current_id()
        compiled = self._compiled(fixed, values, unit_id)
        if compiled is False or not compiled.plain:
            if compiled and self.strict:
                raise ValueError(f"{self._build.__qualname__} cannot be a shape: its rows are not plain.")
            return list(self._build(*fixed, *values))
        return compiled.rows(values if unit_id is None else (*values, unit_id))

    def sql(self, *args):
        """(SQL, parameters) of the queryset built from `args`, to be part of a statement of one's own
        (any queryset: its rows are not read here)."""
        fixed, values = args[: self._fixed], args[self._fixed :]
        unit_id = units.current_id()
        compiled = self._compiled(fixed, values, unit_id)
        if compiled is False:
            queryset = self._build(*fixed, *values)
            return queryset.query.get_compiler(using=queryset.db).as_sql()
        return compiled.sql, compiled.params_for(values if unit_id is None else (*values, unit_id))

    def _compiled(self, fixed, values, unit_id):
        key = (unit_id is None, fixed)
        compiled = self._kept.get(key)
        if compiled is None:
            compiled = self._compile(fixed, values, unit_id is not None)
            if len(self._kept) >= MAX_KEPT:
                self._kept.clear()
            self._kept[key] = compiled
        return compiled

    def _compile(self, fixed, values, in_a_unit):
        built, values = [], (*values, 0) if in_a_unit else values
        for round_ in (0, 1):
            stand_ins = _stand_ins(values, round_)
            if in_a_unit:
                # A unit-owned manager reads only the id of the unit being served.
                with units.active(SimpleNamespace(pk=stand_ins[-1])):
                    queryset = self._build(*fixed, *stand_ins[:-1])
            else:
                queryset = self._build(*fixed, *stand_ins)
            compiler = queryset.query.get_compiler(using=queryset.db)
            try:
                built.append((queryset, compiler, *compiler.as_sql()))
            except EmptyResultSet:  # no rows whatever the values: the queryset says so without a query
                return False
        (queryset, compiler, sql, params), (_, _, other_sql, other_params) = built
        connection = connections[queryset.db]
        expected = [[_adapted(connection, s) for s in _stand_ins(values, round_)] for round_ in (0, 1)]
        positions = []
        for position, (first, second) in enumerate(zip(params, other_params, strict=False)):
            if first == second:
                continue
            n = expected[0].index(first) if first in expected[0] else None
            if n is None or second != expected[1][n]:
                positions = None
                break
            positions.append((position, n))
        plain = not (queryset._prefetch_related_lookups or queryset._known_related_objects)
        if queryset._iterable_class is ValuesListIterable:
            query = queryset.query
            # Fields of the model only: no annotation or extra column to put back in order.
            plain = plain and not (query.annotation_select or query.extra_select)
        else:
            plain = plain and queryset._iterable_class is ModelIterable
        if sql != other_sql or len(params) != len(other_params) or positions is None:
            if self.strict:
                raise ValueError(f"{self._build.__qualname__} cannot be a shape: a value changes its SQL.")
            return False
        compiled = _Compiled(queryset, compiler, sql, tuple(params), positions)
        compiled.plain = plain
        return compiled
