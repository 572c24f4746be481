"""A search never asked before costs a fixed number of queries, with 5 hits or 100,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.models import SearchEntry
from search.queries import MAX_COUNTED, MAX_RANKED, SearchResults
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db

COPIED = [f.column for f in SearchEntry._meta.concrete_fields if f.column not in ("id", "object_id", "url")]


def copy_entry(entry, count, first_id):
    """`count` more index entries like `entry` (bulk, in SQL): a large archive of similar articles."""
    columns = ", ".join(COPIED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO search_searchentry (object_id, url, {columns})
                SELECT %s + n, '/tin-tuc/ban-sao-' || (%s + n) || '/', {columns}
                FROM search_searchentry, (SELECT value AS n FROM generate_series(1, %s) AS value) AS numbers
                WHERE id = %s"""
            if connection.vendor == "postgresql"
            else f"""WITH RECURSIVE numbers(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < %s)
                INSERT INTO search_searchentry (object_id, url, {columns})
                SELECT %s + n, '/tin-tuc/ban-sao-' || (%s + n) || '/', {columns} FROM search_searchentry, numbers
                WHERE id = %s""",
            [first_id, first_id, count, entry.pk]
            if connection.vendor == "postgresql"
            else [count, first_id, first_id, entry.pk],
        )


def search_queries(client, words):
    # The frame and what a search page keeps (kept values expire: growing the table takes longer
    # than PAGE_CACHE_SECONDS in tests), as on a running site.
    client.get("/lien-he/")
    client.get("/tim-kiem/", {"q": "khởi động"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tim-kiem/", {"q": words})
    assert response.status_code == 200
    return len([q for q in queries if SearchEntry._meta.db_table in q["sql"]]), len(queries)


def grow_to(total):
    entry = SearchEntry.objects.filter(kind="article").first()
    present = SearchEntry.objects.count()
    copy_entry(entry, total - present, 1_000_000 + present)


@pytest.fixture
def articles():
    category = make_category("Kinh tế")
    return [make_article(f"Hội nghị sơ kết chuyển đổi số lần {i}", category=category, days=i) for i in range(5)]


def test_a_new_search_makes_two_search_queries_with_5_hits_or_past_the_count_cap(client, articles):
    """Up to MAX_COUNTED hits: the capped count and one scored page; past it: the newest hits' ids
    (which give the count too) and one scored page of the candidates (newest title hits as a subquery)."""
    few = search_queries(client, "chuyen doi so")
    assert few[0] == 2
    grow_to(MAX_COUNTED + 200)
    assert search_queries(client, "chuyển đổi số hội nghị") == few


def test_a_search_past_the_cap_builds_one_scoring_expression(client, articles, monkeypatch):
    """Past the cap only the candidates are scored: the ranking of every hit, an expression of a
    dozen conditions the ORM takes a while to build, is never built for it; up to the cap it is."""
    from search import queries

    built = []
    real = queries._score_sql  # what `score` writes, and the scored page of the candidates
    monkeypatch.setattr(queries, "_score_sql", lambda query: built.append(query) or real(query))
    assert len(SearchResults("chuyển đổi số hội nghị")[0:10]) == 5
    assert len(built) == 1
    grow_to(MAX_COUNTED + 200)
    built.clear()
    assert len(SearchResults("chuyển đổi số hội nghị")[0:10]) == 10
    assert len(built) == 1


def test_a_page_past_the_scored_candidates_counts_them_once_more(client, articles):
    grow_to(MAX_COUNTED + 200)
    results = SearchResults("chuyển đổi số hội nghị")
    first, deep = results[0:10], results[MAX_RANKED : MAX_RANKED + 10]
    assert len(first) == len(deep) == 10
    assert not {hit.pk for hit in first} & {hit.pk for hit in deep}
    every = results[0:MAX_COUNTED]
    assert [hit.pk for hit in every[MAX_RANKED : MAX_RANKED + 10]] == [hit.pk for hit in deep]
    assert len({hit.pk for hit in every}) == MAX_COUNTED


@pytest.mark.postgres
def test_a_new_search_over_100000_entries_makes_as_many_queries_as_over_5(client, articles):
    few = search_queries(client, "hoi nghi so ket")
    grow_to(100_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    assert search_queries(client, "sơ kết chuyển đổi") == few
