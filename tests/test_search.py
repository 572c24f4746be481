"""Search: Vietnamese with or without diacritics, ranking, highlighting, filters, odd input.

Every case runs on the database of the run: `make test` (SQLite) and again with
DATABASE_URL=postgres://... (PostgreSQL full-text search with unaccent); both must pass.
"""

import os
import unicodedata
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from news.models import Article
from search.models import SearchEntry
from search.queries import MAX_COUNTED, SearchResults
from tests.factories import make_article, make_category, make_procedure

pytestmark = pytest.mark.django_db


def titles(query, **filters):
    """Titles found for `query`, best first, as the search page orders them."""
    return [entry.title for entry in SearchResults(query, **filters)[0:100]]


def page(client, **params):
    response = client.get("/tim-kiem/", params)
    return response, response.content.decode()


@pytest.fixture
def district():
    make_category("Quốc phòng - An ninh")
    make_article("Huyện Kim Sơn tổng kết năm", days=3, body="<p>Báo cáo của huyện.</p>")
    make_article("Diễn tập khu vực phòng thủ", days=2, body="<p>Công tác quốc phòng toàn dân năm 2024.</p>")
    make_article("Đồng Hướng đón bằng nông thôn mới", days=1, body="<p>Xã Đồng Hướng đạt chuẩn.</p>")
    make_article("Lễ hội làng nghề", days=4, body="<p>Không liên quan.</p>")


NFD = unicodedata.normalize("NFD", "Kim Sơn")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kim son", ["Huyện Kim Sơn tổng kết năm"]),
        ("Kim Sơn", ["Huyện Kim Sơn tổng kết năm"]),
        ("KIM SƠN", ["Huyện Kim Sơn tổng kết năm"]),
        (NFD, ["Huyện Kim Sơn tổng kết năm"]),
        ("quoc phong", ["Diễn tập khu vực phòng thủ"]),
        ("quốc phòng", ["Diễn tập khu vực phòng thủ"]),
        ("dong huong", ["Đồng Hướng đón bằng nông thôn mới"]),
        ("Đồng Hướng", ["Đồng Hướng đón bằng nông thôn mới"]),
        ("ĐỒNG HƯỚNG", ["Đồng Hướng đón bằng nông thôn mới"]),
        ("don bang", ["Đồng Hướng đón bằng nông thôn mới"]),
        ("2024", ["Diễn tập khu vực phòng thủ"]),
        ("kim son quoc phong", []),
    ],
)
def test_vietnamese_with_or_without_diacritics_finds_the_same_items(district, query, expected):
    """Typed with or without diacritics, composed or decomposed, "đ" as "d": the same hits."""
    assert titles(query) == expected


def test_decomposed_text_in_the_content_is_found_by_composed_and_plain_queries(district):
    """Text pasted in NFD (from office documents) is found by "kim son" and "Kim Sơn"."""
    make_article(unicodedata.normalize("NFD", "Họp báo Ủy ban huyện"), body="<p>Nội dung.</p>")
    assert titles("uy ban") == ["Họp báo Ủy ban huyện"]
    assert titles("Ủy ban") == ["Họp báo Ủy ban huyện"]


def test_whole_words_first_and_the_last_word_as_a_prefix(district):
    """ "son" finds "Sơn" first and "sông" (typed so far) after it; "song" does not find "Sơn";
    earlier words are whole words: "so kim" does not find "Sông"."""
    make_article("Cầu sông Đáy", body="<p>Không có từ khác.</p>")
    assert titles("son") == ["Huyện Kim Sơn tổng kết năm", "Cầu sông Đáy"]
    assert titles("song") == ["Cầu sông Đáy"]
    assert titles("quoc pho") == ["Diễn tập khu vực phòng thủ"]
    assert titles("so cau") == []


def test_title_hits_rank_above_sapo_above_body_hits_and_newer_above_older():
    """A title match beats a newer sapo match, which beats a newer body match; among equals the newer first."""
    make_article("Tin khác", days=0, body="<p>Nhắc tới Kim Sơn trong bài.</p>")
    make_article("Kim Sơn năm 2023", days=30)
    make_article("Kim Sơn năm 2024", days=5)
    make_article("Bài cũ", days=40, sapo="Sapo nói về Kim Sơn.")
    assert titles("kim son") == ["Kim Sơn năm 2024", "Kim Sơn năm 2023", "Bài cũ", "Tin khác"]


@pytest.mark.parametrize(("cap", "window"), [(1000, 4000), (5, 4000), (5, 2), (5, 1)])
def test_ranking_is_the_same_when_hits_outnumber_the_count_cap(monkeypatch, cap, window):
    """Past the cap each tier is read on its own; the order and the page edges do not change, whether
    the newest hits are found by the walk of the newest entries or, past its window, by the index."""
    monkeypatch.setattr("search.queries.MAX_COUNTED", cap)
    monkeypatch.setattr("search.queries.WINDOW", window)
    make_article("Tin khác mới nhất", days=0, body="<p>Kim Sơn.</p>")
    make_article("Tin khác cũ", days=9, body="<p>Kim Sơn.</p>")
    make_article("Sơn Kim một", days=1)
    make_article("Kim Sơn hai", days=2)
    make_article("Kim Sơn ba", days=3)
    make_article("Sơn nhà Kim bốn", days=4)
    results = SearchResults("kim son")
    assert results.more_than_counted == (cap == 5)
    expected = ["Kim Sơn hai", "Kim Sơn ba", "Sơn Kim một", "Sơn nhà Kim bốn", "Tin khác mới nhất", "Tin khác cũ"]
    expected = expected[: results.count()]
    assert [e.title for e in results[0:6]] == expected
    for start in range(len(expected)):
        for stop in range(start + 1, len(expected) + 1):
            assert [e.title for e in results[start:stop]] == expected[start:stop], (start, stop)


def test_drafts_pending_and_scheduled_articles_never_appear():
    """Only published articles whose time has come are found."""
    make_article("Kim Sơn bản nháp", status=Article.Status.DRAFT)
    make_article("Kim Sơn chờ duyệt", status=Article.Status.PENDING)
    make_article("Kim Sơn hẹn giờ", days=-1)
    make_article("Kim Sơn đã đăng")
    assert titles("kim son") == ["Kim Sơn đã đăng"]


def test_a_scheduled_article_appears_when_its_time_comes():
    """No cron: the index holds it already and hides it until publish time."""
    article = make_article("Kim Sơn hẹn giờ", days=-1)
    assert titles("kim son") == []
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    SearchEntry.objects.filter(object_id=article.pk).update(visible_from=timezone.now() - timedelta(minutes=1))
    assert titles("kim son") == ["Kim Sơn hẹn giờ"]


def test_unpublishing_or_deleting_removes_from_search():
    """An article taken down or deleted is gone from search at once."""
    first = make_article("Kim Sơn bài một")
    second = make_article("Kim Sơn bài hai")
    first.status = Article.Status.PENDING
    first.save()
    second.delete()
    assert titles("kim son") == []


def test_editing_the_title_updates_search():
    """The index follows edits."""
    article = make_article("Tên cũ")
    article.title = "Tên mới Kim Sơn"
    article.save()
    assert titles("ten cu") == []
    assert titles("kim son") == ["Tên mới Kim Sơn"]


def test_rebuild_command_recreates_the_index():
    """`rebuild_search_index` restores a lost index from published articles only."""
    make_article("Kim Sơn công khai")
    make_article("Kim Sơn nháp", status=Article.Status.DRAFT)
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))
    assert titles("kim son") == ["Kim Sơn công khai"]
    assert SearchEntry.objects.count() == 1


def test_filter_by_type_and_date_range(client):
    """Type and date filters narrow the hits; dates are inclusive days in Vietnam time."""
    make_article("Kim Sơn tháng trước", days=40)
    make_article("Kim Sơn tuần này", days=2)
    today = timezone.localdate()
    start = (today - timedelta(days=10)).isoformat()
    _, html = page(client, q="kim son", tu_ngay=start, den_ngay=today.isoformat())
    assert "<mark>Sơn</mark> tuần này" in html
    assert "tháng trước" not in html
    _, html = page(client, q="kim son", loai="article")
    assert "tuần này" in html and "tháng trước" in html
    _, html = page(client, q="kim son", loai="khong-co")
    assert "tuần này" in html
    _, html = page(client, q="kim son", den_ngay=(today - timedelta(days=30)).strftime("%d/%m/%Y"))
    assert "tháng trước" in html and "tuần này" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"tu_ngay": "0001-01-01"},
        {"den_ngay": "9999-12-31"},
        {"tu_ngay": "x" * 5000},
        {"den_ngay": "31/02/2024"},
    ],
)
def test_out_of_range_or_junk_dates_get_a_400_not_a_500(client, params):
    """Year 1 or 9999 would overflow date arithmetic: refused with a message instead."""
    response, html = page(client, q="kim son", **params)
    assert response.status_code == 400
    assert "Ngày" in html and "errorlist" in html


@pytest.mark.parametrize("params", [{"page": "99999999999999999999999"}, {"page": "-1"}, {"loai": "x" * 3000}])
def test_junk_page_numbers_and_types_are_ignored(client, params):
    """A junk page number shows a real page; an unknown type searches every type."""
    make_article("Kim Sơn")
    response, html = page(client, q="kim son", **params)
    assert response.status_code == 200
    assert "<mark>Kim</mark>" in html


def test_bad_dates_get_a_vietnamese_message_and_400(client):
    """An impossible date or a reversed range is explained, not a 500."""
    response, html = page(client, q="kim son", tu_ngay="2024-13-45")
    assert response.status_code == 400
    assert "Ngày không hợp lệ" in html
    assert 'aria-describedby="id_tu_ngay_error"' in html
    response, html = page(client, q="kim son", tu_ngay="2024-05-02", den_ngay="2024-05-01")
    assert response.status_code == 400
    assert "phải sau hoặc trùng" in html


def test_page_highlights_hits_and_escapes_content(client):
    """Matched words are marked; markup typed as text in an article is shown as text."""
    make_article(
        "Kim Sơn <b>đậm</b>",
        sapo="Ghi chú <script>alert(1)</script> về Kim Sơn.",
        body="<p>Trích dẫn &lt;img src=x onerror=alert(1)&gt; tại xã Kim Sơn.</p>",
    )
    response, html = page(client, q="kim son")
    assert response.status_code == 200
    assert "<mark>Kim</mark> <mark>Sơn</mark> &lt;b&gt;đậm&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


def test_snippet_shows_the_part_of_a_long_body_with_the_hit(client):
    """The snippet is taken around the first hit, not the start of the text."""
    filler = " ".join(["chữ"] * 300)
    make_article("Tin dài", body=f"<p>{filler} Đê điều xã Định Hóa {filler}</p>")
    _, html = page(client, q="dinh hoa")
    assert "<mark>Định</mark> <mark>Hóa</mark>" in html
    assert "…" in html


def test_pagination_keeps_the_query_and_filters(client):
    """Page 2 links carry q and filters; a page past the end shows the last page."""
    for n in range(12):
        make_article(f"Kim Sơn tin số {n}", days=n)
    _, html = page(client, q="kim son", loai="article")
    assert "12 kết quả" in html
    assert 'href="?q=kim+son&amp;loai=article&amp;page=2"' in html
    _, html = page(client, q="kim son", loai="article", page="2")
    assert "tin số 11" in html and "tin số 0<" not in html
    response, html = page(client, q="kim son", page="999")
    assert response.status_code == 200 and "Trang 2 / 2" in html
    response, _ = page(client, q="kim son", page="abc")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "%",
        "_",
        "%_%",
        "'",
        '"kim son"',
        "\\",
        "kim\\son",
        "😀",
        "kim son 😀",
        "' OR 1=1 --",
        "'); DROP TABLE search_searchentry; --",
        "kim & son | !quoc",
        "kim:* son:A",
        "<script>alert(1)</script>",
        "\x00",
        "a" * 5000,
        "kim son " * 700,
    ],
)
def test_odd_queries_get_a_calm_answer(client, district, query):
    """Empty, huge, wildcard, quote, emoji and SQL-looking queries answer 200, never a 500."""
    response, html = page(client, q=query)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert SearchEntry.objects.count() == 4


def test_operators_in_the_query_are_just_words(district):
    """Characters that mean something to tsquery or LIKE are ignored, not interpreted."""
    assert titles("kim & son | !") == ["Huyện Kim Sơn tổng kết năm"]
    assert titles("kim:* son:*") == ["Huyện Kim Sơn tổng kết năm"]
    assert titles("'kim' \"son\"") == ["Huyện Kim Sơn tổng kết năm"]
    assert titles("%") == []


def test_empty_query_asks_for_a_keyword(client):
    """No keyword: a friendly prompt, no results list."""
    _, html = page(client, q="")
    assert "Hãy nhập từ khóa" in html
    response = client.get("/tim-kiem/")
    assert response.status_code == 200


def test_long_query_is_cut_with_a_note(client, district):
    """A pasted essay is cut to the first words and says so."""
    _, html = page(client, q="kim son " * 700)
    assert "Từ khóa quá dài" in html
    assert "<mark>Kim</mark>" in html


def test_result_count_stops_at_the_cap(client):
    """A very common word says "Hơn 1.000 kết quả" instead of counting them all."""
    entry = SearchEntry.objects.get(object_id=make_article("Kim Sơn").pk)
    copies = []
    for n in range(MAX_COUNTED):
        entry.pk, entry.object_id = None, 10_000 + n
        copies.append(SearchEntry(**{f.attname: getattr(entry, f.attname) for f in SearchEntry._meta.concrete_fields}))
    SearchEntry.objects.bulk_create(copies)
    _, html = page(client, q="kim son")
    assert "Hơn 1.000 kết quả" in html
    assert "Trang 1 / 100" in html


def test_search_page_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    """Ten hits cost no more queries than one."""
    make_article("Kim Sơn một")
    with django_assert_max_num_queries(12) as one:
        page(client, q="kim son")
    for n in range(15):
        make_article(f"Kim Sơn {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page(client, q="kim son")


def test_header_search_box_on_every_page_posts_to_the_search_page(client, district):
    """The header form sends GET q to /tim-kiem/ from the home, category, article and search pages."""
    article = Article.objects.first()
    for url in ["/", article.category.get_absolute_url(), article.get_absolute_url(), "/tim-kiem/?q=x"]:
        html = client.get(url).content.decode()
        assert 'action="/tim-kiem/"' in html and 'name="q"' in html, url


def _require_postgres():
    # CI runs the suite twice, on SQLite and on PostgreSQL: the second run covers this.
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")


@pytest.mark.postgres
def test_postgres_uses_full_text_search_with_its_gin_index(district):
    """On PostgreSQL the match goes through search_vector (unaccent) and its GIN index."""
    _require_postgres()
    results = SearchResults("kim son")
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for hits in (results.all_hits, results.title_hits):
            sql, params = hits.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute("SELECT search_fold(%s)", ["Đồng Hướng, KIM SƠN!"])
        folded = cursor.fetchone()[0]
    assert "search_entry_vector_idx" in plans[0]
    # Title hits are a subset of all hits: the planner may walk either GIN index, never the table.
    assert "search_entry_title_vector_idx" in plans[1] or "search_entry_vector_idx" in plans[1]
    assert folded.split() == ["dong", "huong", "kim", "son"]


@pytest.fixture
def services():
    from tests.factories import make_document

    make_document("125/QĐ-UBND", summary="Về việc phê duyệt kế hoạch sử dụng đất huyện Kim Sơn", days=5)
    make_document("12/KH-UBND", summary="Kế hoạch tuyển quân năm 2025", days=40, is_published=False)
    make_document(
        "13/KH-UBND", summary="Kế hoạch đón Tết tại Kim Sơn", days=1, publish_at=timezone.now() + timedelta(days=1)
    )
    make_procedure("Đăng ký khai sinh")
    make_procedure("Đăng ký kết hôn", is_published=False)
    make_article("Kim Sơn triển khai đăng ký khai sinh trực tuyến", days=2)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ke hoach su dung dat", ["Quyết định 125/QĐ-UBND: Về việc phê duyệt kế hoạch sử dụng đất huyện Kim Sơn"]),
        ("kế hoạch sử dụng đất", ["Quyết định 125/QĐ-UBND: Về việc phê duyệt kế hoạch sử dụng đất huyện Kim Sơn"]),
        ("125", ["Quyết định 125/QĐ-UBND: Về việc phê duyệt kế hoạch sử dụng đất huyện Kim Sơn"]),
        ("qd ubnd", ["Quyết định 125/QĐ-UBND: Về việc phê duyệt kế hoạch sử dụng đất huyện Kim Sơn"]),
        ("dang ky khai sinh", ["Kim Sơn triển khai đăng ký khai sinh trực tuyến", "Đăng ký khai sinh"]),
        ("giay chung sinh", ["Đăng ký khai sinh"]),
        ("tuyen quan", []),
        ("ket hon", []),
        ("don tet", []),
    ],
)
def test_documents_and_procedures_are_found_with_articles(services, query, expected):
    """One search over articles, documents and procedures; unpublished and scheduled ones stay out."""
    assert sorted(titles(query)) == sorted(expected)


def test_one_search_ranks_across_types_and_filters_by_type(client, services):
    """Title hits of any type come first; "loai" narrows to one type; each hit shows its type."""
    # Both have "Kim Sơn" in the title; the document's body (its agency) names it again.
    assert titles("kim son") == [
        "Quyết định 125/QĐ-UBND: Về việc phê duyệt kế hoạch sử dụng đất huyện Kim Sơn",
        "Kim Sơn triển khai đăng ký khai sinh trực tuyến",
    ]
    assert titles("dang ky khai sinh", kind="procedure") == ["Đăng ký khai sinh"]
    _, html = page(client, q="dang ky khai sinh")
    assert '<span class="search-hit__type">Thủ tục hành chính</span>' in html
    assert '<span class="search-hit__type">Tin bài</span>' in html
    assert '<option value="document">Văn bản</option>' in html
    _, html = page(client, q="ke hoach", loai="document")
    assert '<span class="search-hit__type">Văn bản</span>' in html and "Tin bài</span>" not in html


def test_document_and_procedure_changes_follow_into_search(services):
    """Unpublishing a document, publishing a procedure and deleting rows update the index."""
    from documents.models import Document
    from services.models import Procedure

    document = Document.objects.get(number="125/QĐ-UBND")
    document.is_published = False
    document.save()
    marriage = Procedure.objects.get(name="Đăng ký kết hôn")
    marriage.is_published = True
    marriage.save()
    Procedure.objects.get(name="Đăng ký khai sinh").delete()
    assert titles("ke hoach su dung dat") == []
    assert titles("dang ky") == ["Đăng ký kết hôn", "Kim Sơn triển khai đăng ký khai sinh trực tuyến"]


def test_rebuild_indexes_every_registered_type(services):
    """The rebuild command restores articles, documents and procedures alike."""
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))
    assert sorted(SearchEntry.objects.values_list("kind", flat=True)) == [
        "article",
        "document",
        "document",
        "procedure",
    ]
    assert titles("ke hoach") == ["Quyết định 125/QĐ-UBND: Về việc phê duyệt kế hoạch sử dụng đất huyện Kim Sơn"]


def test_snippet_of_a_long_body_matched_only_by_the_title_is_its_beginning():
    """No hit in the first part of the body: the snippet is the body's opening words."""
    from search.text import snippet

    text = "Mở đầu bài viết. " + "chữ " * 20_000 + "Kim Sơn"
    result = snippet(text, ["kim", "son"])
    assert result.startswith("Mở đầu bài viết.") and result.endswith(" …")
    assert "<mark>" not in result


def test_the_same_search_again_is_answered_from_the_cache_until_content_changes(client):
    """A popular search costs the database twice at most; a new article is in the very next results."""
    from django.test.utils import CaptureQueriesContext

    make_article("Kim Sơn mùa lúa chín")
    first = client.get("/tim-kiem/", {"q": "lua chin"}).content.decode()
    assert "1 kết quả" in first
    client.get("/tim-kiem/", {"q": "lua chin"})  # asked again: now kept (a query asked once never is)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/tim-kiem/", {"q": "lua chin"}).content.decode()
    assert "1 kết quả" in again and "Kim Sơn mùa" in again
    assert not [q for q in queries if SearchEntry._meta.db_table in q["sql"]]  # only the sidebar's queries
    make_article("Lúa chín sớm ở Kim Đông")
    assert "2 kết quả" in client.get("/tim-kiem/", {"q": "lua chin"}).content.decode()


@pytest.mark.parametrize("counter_store", ["database", "redis"], indirect=True)
def test_a_search_asked_for_again_is_kept_as_a_page(counter_store, client):
    """The first asking renders and leaves a mark, the second renders and keeps the page, the third is
    served from the page cache; a search nobody repeats, or one with unknown parameters, is never kept."""
    make_article("Kim Sơn mùa lúa chín")
    url = "/tim-kiem/?q=lua+chin"

    def rendered(path):
        """Whether the page was rendered (its templates ran) rather than served from the page cache."""
        response = client.get(path)
        assert response.status_code == 200 and "1 kết quả" in response.content.decode()
        return bool(response.templates)

    assert rendered(url)
    assert rendered("/tim-kiem/?q=lua%20chin&loai=")  # the same search: rendered, and now kept
    assert not rendered(url)  # kept: only counting, if anything
    # A shared link's tracking parameters change nothing: the kept page is served.
    assert not rendered("/tim-kiem/?q=lua+chin&utm_source=zalo")
    # So does a parameter the view does not read; a search asked once is rendered, never kept.
    assert not rendered("/tim-kiem/?q=lua+chin&x=1")
    once = ["/tim-kiem/?q=mua+lua", "/tim-kiem/?q=kim+son+mua", "/tim-kiem/?q=son+mua+lua"]
    assert all(rendered(path) for path in once)


def test_a_query_one_letter_off_is_offered_its_correction(client, district):
    """Nothing found for "kim sonn" or "quoc phnog": "Có phải bạn muốn tìm" links the variant that finds."""
    _, html = page(client, q="kim sonn")
    assert "Không tìm thấy kết quả nào" in html
    assert 'Có phải bạn muốn tìm: <a href="/tim-kiem/?q=kim+son">kim son</a>' in html
    _, html = page(client, q="Diễn tập quốc phnog")
    assert '<a href="/tim-kiem/?q=Di%E1%BB%85n+t%E1%BA%ADp+qu%E1%BB%91c+phong">Diễn tập quốc phong</a>' in html
    _, html = page(client, q="xyzzy plugh")
    assert "Có phải bạn muốn tìm" not in html
    _, html = page(client, q="kim son")  # found: no suggestion
    assert "Có phải bạn muốn tìm" not in html


def test_a_correction_keeps_the_filters_and_costs_a_bounded_number_of_queries(client, district):
    """The corrected link keeps the type filter; a miss costs only a few more queries than a hit."""
    from django.test.utils import CaptureQueriesContext

    _, html = page(client, q="kim sonn", loai="article")
    assert 'href="/tim-kiem/?q=kim+son&amp;loai=article"' in html
    with CaptureQueriesContext(connection) as hit:
        page(client, q="huyen kim son")
    with CaptureQueriesContext(connection) as miss:
        page(client, q="huyen kimm sonn")
    assert len(miss) <= len(hit) + 3


def test_suggestions_as_one_types_are_titles_in_json(client, district):
    """/tim-kiem/goi-y/?q= gives up to 8 matching titles, best first, the last word as a prefix."""
    response = client.get("/tim-kiem/goi-y/", {"q": "dong huo"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {
        "query": "dong huo",
        "suggestions": [
            {
                "title": "Đồng Hướng đón bằng nông thôn mới",
                "url": Article.objects.get(title__startswith="Đồng").get_absolute_url(),
                "type": "Tin bài",
            }
        ],
    }
    for n in range(12):
        make_article(f"Kim Sơn tin số {n}")
    assert len(client.get("/tim-kiem/goi-y/", {"q": "kim s"}).json()["suggestions"]) == 8
    for odd in ["", "k", "%", "\x00", "a" * 5000]:
        response = client.get("/tim-kiem/goi-y/", {"q": odd})
        assert response.status_code == 200 and response.json()["suggestions"] == [], odd


@pytest.mark.parametrize("window", [4000, 1])
def test_past_the_count_cap_the_typed_number_and_title_phrases_still_come_first(monkeypatch, window):
    """With more hits than are scored, the document whose number was typed and the newest title hits
    are scored and lead; the rest follow newest first, with no hit lost or repeated across pages."""
    from tests.factories import make_document

    monkeypatch.setattr("search.queries.MAX_COUNTED", 3)
    monkeypatch.setattr("search.queries.MAX_RANKED", 1)
    monkeypatch.setattr("search.queries.WINDOW", window)
    make_document("125/QĐ-UBND", summary="Về việc phê duyệt kế hoạch sử dụng đất", days=300)
    for n in range(4):
        make_document(f"{300 + n}/QĐ-UBND", summary=f"Thực hiện theo văn bản 125 số {n}", days=n)
    results = SearchResults("125/QĐ-UBND")
    assert results.more_than_counted
    first = [entry.title for entry in results[0:3]]
    assert first[0] == "Quyết định 125/QĐ-UBND: Về việc phê duyệt kế hoạch sử dụng đất"
    assert len(set(first)) == 3
    assert [e.title for e in results[0:1]] + [e.title for e in results[1:3]] == first


@pytest.mark.postgres
@pytest.mark.parametrize("newest", ["in their body", "not in them"])
def test_the_walks_that_fall_short_find_the_older_title_hits(monkeypatch, newest):
    """PostgreSQL past the cap: the newest entries have the words in their body only (the walk for
    the newest hits finds enough of them; that for title hits finds none, so the title's index finds
    the older ones), or not at all (both walks fall short: one read of the full-text index finds the
    newest hits and the newest title hits)."""
    from search import queries

    monkeypatch.setattr(queries, "MAX_RANKED", 3)
    monkeypatch.setattr(queries, "WINDOW", 4)
    now, ids = timezone.now(), []
    for n in range(12):
        recent = n < 4
        entry = SearchEntry.objects.create(
            kind="news",
            object_id=n,
            title="Thông báo" if recent else ("Kim Sơn" if n % 2 else "Tin Kim Sơn"),
            body=("Xã kim sơn" if newest == "in their body" else "Nội dung khác") if recent else "Nội dung",
            date=now - timedelta(hours=n),
            visible_from=now - timedelta(days=1),
            url=f"/{n}/",
        )
        ids.append(entry.pk)
    results = SearchResults("kim son")
    found = set(SearchEntry.every_unit.filter(results._candidates).values_list("pk", flat=True))
    older_titles = set(ids[4:7])
    assert found == (set(ids[:3]) | older_titles if newest == "in their body" else older_titles)


@pytest.mark.postgres
@pytest.mark.parametrize("window", [1, 3, 7, 4000])
def test_the_bounded_walks_find_the_newest_hits_of_the_units_types_and_dates_asked(monkeypatch, window):
    """PostgreSQL past the cap: each walk for the newest hits (all parts, the title, the number typed)
    stops after WINDOW entries and the full-text index finds the rest; whatever WINDOW, the ids are
    the plain walk's, with the units, the type, the dates and the scheduled entries filtered inside
    the window as outside it (ties of date broken by id)."""
    import random

    from portal import units
    from search import queries
    from tests.factories import make_unit

    monkeypatch.setattr(queries, "MAX_RANKED", 3)
    monkeypatch.setattr(queries, "WINDOW", window)
    here, there = units.first_unit_id(), make_unit("Kim Đông", "kimdong.localhost").pk
    rng, now = random.Random(6), timezone.now()
    texts = ["Kim Sơn", "Sơn Kim", "kim", "Kim Sơn 125", "Đồng Hướng", "sông"]
    for n in range(40):
        title, body = rng.choice(texts), rng.choice(texts)
        SearchEntry.every_unit.create(
            unit_id=rng.choice([here, there]),
            kind=rng.choice(["news", "document"]),
            object_id=n,
            title=title,
            body=body,
            code_norm=" 125 qd ubnd " if "125" in title else "",
            date=now - timedelta(days=rng.randint(0, 6)),  # many entries share a date
            visible_from=now + timedelta(days=1) if n % 9 == 0 else now - timedelta(days=7),
            url=f"/{n}/",
        )
    week = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=4)
    scopes = [
        {},
        {"kind": "news"},
        {"date_from": week},
        {"date_to": week, "kind": "document"},
        {"unit_ids": [here, there]},
        {"unit_ids": [there], "kind": "news", "date_from": week - timedelta(days=1)},
    ]
    for query in ["kim son", "kim", "so", "125", "dong huong", "sông"]:
        for scope in scopes:
            results = SearchResults(query, **scope)
            hit = queries._matches(results.query, "all")
            conditions = [Q(hit), Q(queries._matches(results.query, "title"))]
            if queries._may_be_a_number(results.query):
                conditions.append(Q(hit) & Q(code_norm__startswith=results.query.phrase()))
            expected = set()
            for condition in conditions:
                walk = results._entries.filter(condition).order_by("-date", "-id")
                expected |= set(walk.values_list("pk", flat=True)[: queries.MAX_RANKED])
            found = set(SearchEntry.every_unit.filter(results._candidates).values_list("pk", flat=True))
            assert found == expected, (query, scope)
