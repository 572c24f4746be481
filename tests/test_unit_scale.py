"""Cost does not grow with units: a unit's pages make the same queries with 1 unit and with 100,
and on PostgreSQL its lists are read through indexes that lead with the unit."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.models import Document
from news.models import Article, Category
from portal import fragments, units
from portal.models import Unit, UnitHost
from search import registry
from search.models import SearchEntry
from search.queries import MAX_COUNTED
from tests.factories import first_unit, make_category, make_document

pytestmark = pytest.mark.django_db

SEARCH = "hội nghị"


def build_unit(unit, articles):
    """A unit's categories, `articles` articles, a document and their search entries, in bulk."""
    with units.active(unit):
        top = make_category("Kinh tế", order=1)
        child = make_category("Nông nghiệp", parent=top)
        make_category("Thông báo", order=2)
    now = timezone.now()
    Article.every_unit.bulk_create(
        Article(
            unit=unit,
            title=f"Hội nghị sơ kết số {i}",
            slug=f"hoi-nghi-so-ket-{i}",
            sapo="Tóm tắt bài viết.",
            body="<p>Nội dung.</p>",
            category=child if i % 2 else top,
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(hours=i + 1),
        )
        for i in range(articles)
    )
    with units.active(unit):
        make_document(summary="Về việc tổ chức hội nghị sơ kết")
    index = next(index for index in registry.indexes() if index.kind == "article")  # bulk_create: no signals
    SearchEntry.every_unit.bulk_create(
        SearchEntry(kind=index.kind, object_id=obj.pk, **index.entry_fields(obj))
        for obj in index.get_queryset().filter(unit=unit)
    )


def add_units(count, articles):
    """`count` more units on u<n>.localhost, each built as build_unit does."""
    start = Unit.objects.count()
    for number in range(start + 1, start + count + 1):
        unit = Unit.objects.create(name=f"Đơn vị {number}", code=f"u{number}")
        UnitHost.objects.create(unit=unit, name=f"u{number}.localhost", is_main=True)
        build_unit(unit, articles)
    units.forget_hosts()


def unit_pages(unit):
    with units.active(unit):
        article = Article.objects.published().order_by("pk")[5]
        category = Category.objects.get(slug="kinh-te")
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": category.get_absolute_url(),
        "category-deep": category.get_absolute_url() + "?page=3",
        "documents": "/van-ban/",
        "search": f"/tim-kiem/?q={SEARCH}",
    }


def queries_of(unit, host):
    """{page: queries} for a unit's pages, rendered (a session: the page cache leaves them alone),
    after one request that keeps the frame, menu and page starts, as on a running site."""
    counts = {}
    for name, url in unit_pages(unit).items():
        cache.clear()  # nothing kept from an earlier measurement (a search asked twice is kept)
        fragments.forget()
        visitor = Client(HTTP_HOST=host)
        visitor.cookies[settings.SESSION_COOKIE_NAME] = "none"
        assert visitor.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            response = visitor.get(url)
        assert response.status_code == 200
        counts[name] = len(queries)
    return counts


@pytest.fixture
def one_unit():
    fragments.forget()
    unit = first_unit()
    build_unit(unit, 40)
    return unit


def test_a_units_pages_make_the_same_queries_with_1_unit_and_with_20(one_unit):
    alone = queries_of(one_unit, "127.0.0.1")
    add_units(19, 40)
    assert queries_of(one_unit, "127.0.0.1") == alone
    last = Unit.objects.order_by("pk").last()
    assert queries_of(last, last.hosts.get().name) == alone


def test_kept_page_starts_and_frames_are_the_units_own(one_unit):
    """Two units with lists of other lengths: each shows its own count, whichever asked first."""
    add_units(1, 13)
    other = Unit.objects.order_by("pk").last()
    mine = Client(HTTP_HOST="127.0.0.1").get("/chuyen-muc/kinh-te/")
    theirs = Client(HTTP_HOST=other.hosts.get().name).get("/chuyen-muc/kinh-te/")
    assert mine.context["page_obj"].paginator.count == 40
    assert theirs.context["page_obj"].paginator.count == 13
    assert mine.context["page_obj"].paginator.num_pages == 4
    assert theirs.context["page_obj"].paginator.num_pages == 2


def plan(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        return cursor.fetchone()[0][0]["Plan"]


def nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def grow_in_sql(count, articles):
    """`count` more units of `articles` articles each, in SQL: 100 units of 1,000 in seconds."""
    template = first_unit()
    start = Unit.objects.count()
    made = []
    for number in range(start + 1, start + count + 1):
        unit = Unit.objects.create(name=f"Đơn vị {number}", code=f"u{number}")
        UnitHost.objects.create(unit=unit, name=f"u{number}.localhost", is_main=True)
        made.append(unit)
    with connection.cursor() as cursor:
        for unit in made:
            with units.active(unit):
                make_document(summary="Về việc tổ chức hội nghị sơ kết")
            tops_first = sorted(
                Category.every_unit.filter(unit=template), key=lambda c: (c.parent_id is not None, c.pk)
            )
            for category in tops_first:
                parent = category.parent and Category.every_unit.get(unit=unit, slug=category.parent.slug)
                copy = Category.every_unit.create(unit=unit, name=category.name, slug=category.slug, parent=parent)
                cursor.execute(
                    """INSERT INTO news_article (unit_id, title, slug, sapo, body, cover_image, cover_caption, author,
                           source, category_id, featured, status, publish_at, view_count, created_at, updated_at)
                       SELECT %s, 'Hội nghị sơ kết số ' || n, 'hoi-nghi-' || %s || '-' || n, 'Tóm tắt.', '<p>x</p>',
                           '', '', '', '', %s, false, 'published', now() - n * interval '1 minute', 0, now(), now()
                       FROM generate_series(1, %s) AS n""",
                    [unit.pk, copy.pk, copy.pk, articles // 3],
                )
        columns = [
            f.column for f in SearchEntry._meta.concrete_fields if f.column not in ("id", "unit_id", "object_id")
        ]
        listed = ", ".join(columns)
        cursor.execute(
            f"""INSERT INTO search_searchentry (unit_id, object_id, {listed})
                SELECT u.id, 10000000 + u.id * 10000 + n, {", ".join(f"e.{column}" for column in columns)}
                FROM search_searchentry e, portal_unit u, generate_series(1, %s) AS n
                WHERE e.id = (SELECT MIN(id) FROM search_searchentry WHERE kind = 'article') AND u.id > %s""",
            [min(articles, MAX_COUNTED - 50), template.pk],  # under the count cap, as the first unit's search
        )
        cursor.execute("VACUUM ANALYZE news_article")
        cursor.execute("VACUUM ANALYZE search_searchentry")
    units.forget_hosts()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_100_units_of_1000_articles_make_the_same_queries_through_unit_indexes():
    """On PostgreSQL: 100 units of 1,000 articles each. A unit's pages make the queries they made
    alone, and its category's page starts, its news list and its search read index ranges of its
    own rows, never every unit's."""
    fragments.forget()
    unit = first_unit()
    build_unit(unit, 40)
    alone = queries_of(unit, "127.0.0.1")
    grow_in_sql(99, 1000)
    assert queries_of(unit, "127.0.0.1") == alone
    last = Unit.objects.order_by("pk").last()
    assert queries_of(last, last.hosts.get().name) == alone

    with units.active(last):
        category = Category.objects.get(slug="kinh-te")
        published = Article.objects.published().filter(category_id__in=category.family_ids())
        counted = plan(*published.order_by().values("pk").query.sql_with_params())
        news = plan(
            *Article.objects.published().order_by("-publish_at", "-id").values("pk")[:12].query.sql_with_params()
        )
        documents = plan(*Document.objects.published().for_listing()[:20].query.sql_with_params())
    scans = [n for n in nodes(counted) if "Index Name" in n]
    assert [n["Node Type"] for n in scans] == ["Index Only Scan"], scans  # no visit of every unit's rows
    assert "unit_id" in scans[0]["Index Cond"]
    assert {n.get("Index Name") for n in nodes(news)} & {"article_unit_list_idx"}
    assert any("unit" in (n.get("Index Name") or "") and "unit_id" in n.get("Index Cond", "") for n in nodes(documents))
    assert SearchEntry.every_unit.count() > 90_000


def test_finding_the_unit_of_a_request_costs_no_query(one_unit):
    """Among 20 units no request reads the units or their hosts: they are this process's copy
    (portal.units), read again only when they change or every HOSTS_SECONDS."""
    add_units(19, 2)
    Client(HTTP_HOST="u2.localhost").get("/")  # the units changed: this process reads them once
    for host in ("u15.localhost", "u3.localhost", "127.0.0.1"):
        visitor = Client(HTTP_HOST=host)
        with CaptureQueriesContext(connection) as queries:
            assert visitor.get("/").status_code == 200
            assert visitor.get("/lien-he/").status_code == 200
        assert not [q["sql"] for q in queries if "portal_unit" in q["sql"]]
    assert Client(HTTP_HOST="u99.localhost").get("/").status_code == 404
