"""search.queries.score writes its conditions as SQL itself: the same score, for every entry, as the
ORM's Case/When of the same conditions gave."""

import pytest
from django.db.models import Case, Value, When

from search.models import SearchEntry
from search.queries import _conditions, score
from search.text import parse_query
from tests.test_search_judged import JUDGED, judged_content  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

QUERIES = [query for query, *_ in JUDGED] + ["kim s", "Kim Đồng khai giảng", "125/QĐ-UBND", "a", "hộ nghèo hộ", "đ"]


def orm_score(query):
    """The former expression: one Case/When per condition, resolved by the ORM."""
    total = Value(0)
    for weight, condition in _conditions(query):
        total = total + Case(When(condition, then=Value(weight)), default=Value(0))
    return total


@pytest.mark.usefixtures("judged_content")
def test_the_same_score_as_the_orms():
    entries = SearchEntry.every_unit.order_by("pk")
    assert entries.count() > 20
    differing, scored = {}, 0
    for text in QUERIES:
        query = parse_query(text)
        if not query.words:
            continue
        written = list(entries.annotate(score=score(query)).values_list("pk", "score"))
        resolved = list(entries.annotate(score=orm_score(query)).values_list("pk", "score"))
        scored += any(value for _, value in resolved)
        if written != resolved:
            differing[text] = [(a, b) for a, b in zip(written, resolved, strict=True) if a != b][:3]
    assert differing == {}
    assert scored > len(QUERIES) * 3 // 4  # the comparison is of scores that matter
