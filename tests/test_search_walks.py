"""A new search's walks for the newest hits (search.queries._window, _every) are compiled once per
set of filters: with any words, number, type, dates and units, the SQL and parameters are those
of the walk built for those values."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from portal import units
from search import queries
from search.queries import SearchResults, _every, _every_rows, _window, _window_rows
from search.text import parse_query
from tests.factories import first_unit, make_unit

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def built(build, *args):
    queryset = build(*args)
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, list(params)


def as_list(found):
    return found[0], list(found[1])


@pytest.mark.parametrize("kind", [None, "article"])
@pytest.mark.parametrize(
    "dates",
    [
        (None, None),
        (datetime(2024, 1, 1, tzinfo=HANOI), None),
        (None, datetime(2025, 2, 1, tzinfo=HANOI)),
        (datetime(2024, 1, 1, tzinfo=HANOI), datetime(2025, 2, 1, tzinfo=HANOI)),
    ],
)
@pytest.mark.parametrize("scope", ["unit", "units"])
def test_a_compiled_walk_is_the_walk_built_for_its_values(kind, dates, scope):
    province = make_unit("Ninh Bình", "ninhbinh.localhost", kind="tinh")
    commune = make_unit("Kim Đông", "kimdong.localhost", parent=province)
    unit_ids = [province.pk, commune.pk] if scope == "units" else None
    with units.active(first_unit() if scope == "unit" else province):
        for typed in ["kim sơn", "125/QĐ-UBND", "quốc pho", "100% 'x' _y_"]:
            results = SearchResults(parse_query(typed), kind, *dates, unit_ids)
            values = (*results._values, queries._tsquery(results.query))
            number = ("125 qd ubnd%",) if typed.startswith("125") else ()
            for which, more in [("hit", ()), ("title", ()), *([("number", number)] if number else [])]:
                args = (which, *results._scope, *values, *more)
                for shape, build in [(_window, _window_rows), (_every, _every_rows)]:
                    assert as_list(shape.sql(*args)) == built(build, *args), (typed, which)
                    assert as_list(shape.sql(*args)) == built(build, *args)  # the kept SQL, second time
                    assert shape._kept[(False, args[:5])] is not False


def test_the_moment_is_a_value_of_the_kept_sql():
    with units.active(first_unit()):
        args = ("hit", False, False, False, None, timezone.now(), "kim & son")
        later = ("hit", False, False, False, None, timezone.now() + timedelta(hours=1), "kim & son")
        assert _window.sql(*args)[0] == _window.sql(*later)[0]
        assert _window.sql(*args)[1] != _window.sql(*later)[1]
        assert as_list(_window.sql(*later)) == built(_window_rows, *later)


@pytest.mark.postgres
def test_a_compiled_count_and_scored_page_give_what_the_querysets_built_for_the_query_give(monkeypatch):
    """PostgreSQL: the capped count and the scored page of the candidates are compiled once per
    filters and words' shape (search.queries._counted, _scored); for any words, number, prefix,
    diacritics and type they count and read what the querysets built for them do, as the same model
    instances (score, deferred parts)."""
    from search.models import SearchEntry

    monkeypatch.setattr(queries, "MAX_RANKED", 4)
    monkeypatch.setattr(queries, "WINDOW", 6)
    monkeypatch.setattr(queries._scored, "_kept", {})
    monkeypatch.setattr(queries._counted, "_kept", {})
    now = timezone.now()
    texts = ["Kim Sơn", "kim son xã", "Ninh Bình kim", "Quyết định 125/QĐ-UBND", "Quốc phòng", "sơn"]
    with units.active(first_unit()):
        for n in range(30):
            SearchEntry.objects.create(
                kind="news" if n % 3 else "document",
                object_id=n,
                title=texts[n % len(texts)],
                lead=texts[(n + 1) % len(texts)],
                body=texts[(n + 2) % len(texts)],
                code_norm=" 125 qd ubnd " if n % len(texts) == 3 else "",
                date=now - timedelta(hours=n % 7, minutes=n),
                visible_from=now - timedelta(days=1),
                url=f"/{n}/",
            )
        added = {}
        for typed in ["kim sơn", "kim son", "ninh bình", "125/QĐ-UBND", "quốc pho", "sơn", "kim"]:
            kept_before = set(queries._scored._kept)
            for kind in (None, "news"):
                results = SearchResults(parse_query(typed), kind)
                assert results._total == results.all_hits.order_by()[: queries.MAX_COUNTED + 1].count() > 0
                built = (
                    SearchEntry.every_unit.filter(results._candidates)
                    .defer(*queries.DEFERRED)
                    .annotate(score=queries.score(results.query))
                    .order_by("-score", "-date", "-id")
                )
                for start, stop in [(0, 3), (2, 10)]:
                    compiled = results._scored(start, stop)
                    expected = list(built[start:stop])
                    assert compiled, (typed, kind)
                    assert [(e.pk, e.score, e.title, e.get_deferred_fields()) for e in compiled] == [
                        (e.pk, e.score, e.title, e.get_deferred_fields()) for e in expected
                    ], (typed, kind, start)
            added[typed] = set(queries._scored._kept) - kept_before
    assert all(kept is not False for kept in queries._scored._kept.values())
    # One count per type whatever the words; "kim sơn" and "ninh bình" are words of the same shape:
    # one scored page for both, per type and slice.
    assert len(queries._counted._kept) == 2 and all(kept is not False for kept in queries._counted._kept.values())
    assert len(added["kim sơn"]) == 4 and not added["ninh bình"]
