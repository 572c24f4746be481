"""Queries compiled once and run with other values (portal.shapes) give what their queryset gives."""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Value
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article
from portal import units
from portal.shapes import Shape
from tests.factories import make_article, make_category, make_unit

pytestmark = pytest.mark.django_db


def by_title_and_time(title, moment):
    return (
        Article.objects.filter(title=title, publish_at__lte=moment)
        .select_related("category")
        .only("title", "publish_at", "category__name")
    )


def test_a_shape_gives_the_rows_its_queryset_gives_for_each_value():
    """Run with one value, then others: each time the rows of the queryset built with that value."""
    make_article("Mùa vụ", days=3)
    make_article("Mùa vụ", days=1)
    make_article("Lễ hội", days=2)
    shape = Shape(by_title_and_time)
    now = timezone.now()
    for title, moment in [("Mùa vụ", now), ("Mùa vụ", now - timedelta(days=2)), ("Lễ hội", now), ("Không có", now)]:
        expected = list(by_title_and_time(title, moment))
        found = shape(title, moment)
        assert [(a.pk, a.title, a.category.name) for a in found] == [(a.pk, a.title, a.category.name) for a in expected]
        assert all(a.get_deferred_fields() == b.get_deferred_fields() for a, b in zip(found, expected, strict=True))


def test_a_shape_of_values_gives_the_tuples_its_queryset_gives():
    """A values_list() of the model's fields: the same tuples, times converted as Django converts them
    (SQLite stores them as text), compiled once."""
    make_article("Mùa vụ", days=3)
    make_article("Mùa vụ", days=1)

    def build(title, moment):
        return by_title_and_time(title, moment).values_list("id", "title", "publish_at", "category_id")

    shape, now = Shape(build), timezone.now()
    for title, moment in [("Mùa vụ", now), ("Mùa vụ", now - timedelta(days=2)), ("Không có", now)]:
        assert shape(title, moment) == list(build(title, moment))
    assert isinstance(shape("Mùa vụ", now)[0][2], datetime) and len(shape._kept) == 1


@pytest.mark.parametrize(
    "build",
    [
        lambda moment: Article.objects.filter(publish_at__lte=moment).annotate(n=Value(1)).values_list("id", "n"),
        lambda moment: Article.objects.filter(publish_at__lte=moment).values_list("id", flat=True),
    ],
    ids=["annotation", "flat"],
)
def test_values_with_more_than_the_models_fields_are_not_a_shape(build):
    make_article("Mùa vụ")
    with pytest.raises(ValueError, match="cannot be a shape"):
        Shape(build)(timezone.now())


def test_a_shape_runs_one_query_and_compiles_once():
    make_article("Mùa vụ")
    shape = Shape(by_title_and_time)
    shape("Mùa vụ", timezone.now())
    with CaptureQueriesContext(connection) as queries:
        assert len(shape("Mùa vụ", timezone.now())) == 1
    assert len(queries) == 1
    assert len(shape._kept) == 1


def test_fixed_arguments_pick_the_sql():
    """`fixed` arguments are part of the SQL (here an IN list): each value of them has its own."""
    first, second = make_category("Kinh tế"), make_category("Xã hội")
    make_article("Một", category=first)
    make_article("Hai", category=second)
    shape = Shape(
        lambda family, moment: Article.objects.filter(category_id__in=family, publish_at__lte=moment), fixed=1
    )
    now = timezone.now()
    assert [a.title for a in shape((first.pk,), now)] == ["Một"]
    assert sorted(a.title for a in shape((first.pk, second.pk), now)) == ["Hai", "Một"]


@pytest.mark.parametrize(
    "build, value_of",
    [
        # The value becomes a pattern; a date.
        (lambda title: Article.objects.filter(title__contains=title), lambda article: "vụ"),
        (lambda moment: Article.objects.filter(publish_at__date=moment), lambda article: article.publish_at),
    ],
    ids=["pattern", "date"],
)
def test_a_value_that_a_lookup_transforms_cannot_be_a_shape(build, value_of, monkeypatch):
    """Strict (tests): an error. Otherwise the queryset is built each time and the rows stay right."""
    article = make_article("Mùa vụ lúa")
    value = value_of(article)
    with pytest.raises(ValueError, match="cannot be a shape"):
        Shape(build)(value)
    monkeypatch.setattr(Shape, "strict", False)
    assert [a.pk for a in Shape(build)(value)] == [article.pk]


def test_values_of_other_types_are_refused():
    with pytest.raises(TypeError):
        Shape(lambda ids: Article.objects.filter(pk__in=ids))([1, 2])


def test_each_unit_reads_its_own_rows_through_one_sql():
    """The unit being served is a value of the SQL (its managers' filter): compiled once, each unit
    reads its own rows, never another's; outside a request, every unit's."""
    first = units.first_unit_id()
    make_article("Tin chung")
    other = make_unit("Kim Đông", "kimdong.localhost")
    with units.active(other):
        make_article("Tin chung", category=make_category("Xã hội"))
    shape = Shape(lambda title: Article.objects.filter(title=title))
    with units.active(other):
        assert {a.unit_id for a in shape("Tin chung")} == {other.pk}
    with units.active(first):
        assert {a.unit_id for a in shape("Tin chung")} == {first}
    assert len(shape._kept) == 1
    assert len({a.unit_id for a in shape("Tin chung")}) == 2  # outside a request: every unit


@pytest.mark.django_db(transaction=True)
def test_a_shape_compiled_in_one_thread_runs_in_another():
    """Each thread runs the SQL on its own connection (Django's connections are per thread)."""
    article = make_article("Mùa vụ")
    shape = Shape(by_title_and_time)
    shape("Mùa vụ", timezone.now())
    found, errors = [], []

    def read():
        try:
            found.extend(a.pk for a in shape("Mùa vụ", timezone.now()))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert errors == [] and found == [article.pk]


def test_an_article_page_reads_its_article_with_one_compiled_query(client: Client):
    """The article page's read is a shape: the second article costs no compiling."""
    from news import views

    first, second = make_article("Một"), make_article("Hai")
    assert client.get(first.get_absolute_url()).status_code == 200
    kept = dict(views._article_by_slug._kept)
    response = client.get(second.get_absolute_url())
    assert response.status_code == 200 and response.context["article"].pk == second.pk
    assert views._article_by_slug._kept == kept and kept
    assert client.get("/tin-tuc/khong-co-bai-nay/").status_code == 404
