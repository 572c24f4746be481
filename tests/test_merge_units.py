"""Merging units, as the 2025 reform did: two units' content moves into a third and every old
address answers 301 with its new place on the new unit's host."""

import io
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from documents.models import Document
from feedback.models import Feedback
from news.models import Article, Category
from pages.models import Page
from polls.models import Poll
from portal import creating, merging, units
from portal.models import MovedPath, Unit
from search.models import SearchEntry
from services.models import Procedure
from stats.models import DailyVisits, VisitCounter
from tests.factories import make_article, make_category, make_document, make_poll, make_procedure, make_staff

pytestmark = pytest.mark.django_db

OLD_HOSTS = {"kim-dong": "kimdong.localhost", "kim-hai": "kimhai.localhost"}
NEW_HOST = "binhminh.localhost"
LISTS = ["/", "/tin-tuc/", "/van-ban/", "/mot-cua/", "/gop-y/hoi-dap/", "/gioi-thieu/", "/lich-cong-tac/", "/lien-he/"]
DAY = date(2026, 11, 20)


def fill(unit, n):
    """A unit's content: articles (one slug shared by every unit), a document, a procedure, feedback, visits.

    Categories: every unit has the six default ones (Kinh tế...); Kim Đông and Bình Minh both have
    Kinh tế › Nông nghiệp (the same place: one category after the merge); Kim Hải has Kinh tế › Du
    lịch and Bình Minh a top Du lịch (same address, another place: renamed); Kim Đông alone has
    Làng nghề (moves as it is)."""
    with units.active(unit):
        category = Category.objects.get(slug="kinh-te")
        make_article("Khai trương chợ nông thôn mới", category=category)
        make_article(f"Thu hoạch cói vụ mùa {unit.name}", category=category, days=2)
        if n in (1, 3):
            farming = make_category("Nông nghiệp", parent=category)
            make_article(f"Lúa chất lượng cao ở {unit.name}", category=farming, days=3)
        if n == 1:
            make_article("Chiếu cói xuất khẩu", category=make_category("Làng nghề"), days=4)
        if n == 2:
            make_article("Du lịch biển Kim Hải", category=make_category("Du lịch", parent=category), days=4)
        if n == 3:
            make_category("Du lịch")
        make_document(number=f"{10 + n}/QĐ-UBND", summary=f"Về việc giao đất ở {unit.name}")
        make_procedure("Đăng ký khai sinh")
        poll = Poll.objects.get()
        poll.is_active = True
        poll.save()
        make_poll(f"Bình chọn của {unit.name}")
        Feedback.objects.create(
            name="Nguyễn Văn An",
            title=f"Hỏi về đường {unit.name}",
            content="Đường xuống cấp.",
            public_title=f"Hỏi về đường {unit.name}",
            public_content="Đường xuống cấp.",
            answer="Đã đưa vào kế hoạch.",
            status=Feedback.Status.PUBLISHED,
        )
        DailyVisits.objects.create(day=DAY, visits=100 * n)
        DailyVisits.objects.create(day=DAY - timedelta(days=n), visits=7)
        counter = VisitCounter.load()
        counter.starting_total = 1000 * n
        counter.save()


@pytest.fixture
def reform():
    province = creating.create_unit("Ninh Bình", "tinh", ["ninhbinh.localhost"])
    olds = [
        creating.create_unit("Kim Đông", "xa", [OLD_HOSTS["kim-dong"]], parent=province),
        creating.create_unit("Kim Hải", "xa", [OLD_HOSTS["kim-hai"]], parent=province),
    ]
    new = creating.create_unit("Bình Minh", "xa", [NEW_HOST, "www.binhminh.localhost"], parent=province)
    for n, unit in enumerate([*olds, new], start=1):
        fill(unit, n)
    return olds, new


def sitemap_paths(client, host):
    """Every address the unit's sitemaps list, as paths."""
    index = client.get("/sitemap.xml", HTTP_HOST=host).content.decode()
    paths = []
    for section in re.findall(r"<loc>(.*?)</loc>", index):
        assert urlsplit(section).hostname == host
        body = client.get(urlsplit(section).path, HTTP_HOST=host).content.decode()
        paths += [urlsplit(loc).path for loc in re.findall(r"<loc>(.*?)</loc>", body)]
    return paths


def objects_of(unit):
    """(path, text the object's page shows) of every object with an address."""
    found = []
    for model, text in (
        (Article, "title"),
        (Category, "name"),
        (Document, "summary"),
        (Procedure, "name"),
        (Page, "title"),
        (Poll, "question"),
    ):
        rows = model.every_unit.filter(unit=unit)
        if model is Poll:
            rows = rows.filter(is_active=True)
        found += [
            (row.get_absolute_url(), getattr(row, text), (model, row.pk, getattr(row, "slug", None))) for row in rows
        ]
    return found


def now_at(model, pk, slug, new):
    """Where an old object is shown now: at its own address, or, when the new unit had one of the
    same place (a category joined, an intro page set aside), at that one's."""
    row = model.every_unit.filter(pk=pk).first()
    if row is None or (model is Page and not row.in_menu):
        return model.every_unit.get(unit=new, slug=slug).get_absolute_url()
    return row.get_absolute_url()


def follow(client, response):
    location = urlsplit(response["Location"])
    query = f"?{location.query}" if location.query else ""
    return location, client.get(location.path + query, HTTP_HOST=location.netloc)


def test_every_old_address_answers_301_to_the_same_object_on_the_new_host(client, reform):
    """Crawl each old unit's sitemap, lists and objects before the merge; after it, each answers 301
    on the new unit's main host to a page that shows the same object."""
    olds, new = reform
    before = {}
    for unit in olds:
        host = OLD_HOSTS[unit.code]
        paths = sitemap_paths(client, host) + LISTS
        objects = objects_of(unit)
        for path, text, _ in objects:
            assert text in client.get(path, HTTP_HOST=host).content.decode()
        assert len(paths) > 15
        before[unit.code] = (host, paths, objects)

    call_command("merge_units", "kim-dong", "kim-hai", "binh-minh", stdout=io.StringIO())

    checked = 0
    for host, paths, objects in before.values():
        for path in paths:
            response = client.get(path, HTTP_HOST=host)
            assert response.status_code == 301, path
            location, page = follow(client, response)
            assert location.netloc == NEW_HOST
            assert page.status_code == 200, (path, response["Location"])
            checked += 1
        for path, text, (model, pk, slug) in objects:
            response = client.get(path, HTTP_HOST=host)
            assert response.status_code == 301, path
            location, page = follow(client, response)
            assert location.netloc == NEW_HOST
            assert page.status_code == 200, (path, response["Location"])
            assert text in page.content.decode(), (path, response["Location"])
            assert location.path == now_at(model, pk, slug, new), path
            checked += 1
    assert checked > 60


def test_a_clashing_slug_moves_under_a_new_one_and_its_old_address_follows(client, reform):
    """Both old units and the new one had /tin-tuc/khai-truong-cho-nong-thon-moi/: each keeps its own article."""
    olds, new = reform
    kimdong = Article.every_unit.get(unit=olds[0], slug="khai-truong-cho-nong-thon-moi")
    kimhai = Article.every_unit.get(unit=olds[1], slug="khai-truong-cho-nong-thon-moi")
    ours = Article.every_unit.get(unit=new, slug="khai-truong-cho-nong-thon-moi")
    call_command("merge_units", "kim-dong", "kim-hai", "binh-minh", stdout=io.StringIO())
    slugs = {Article.every_unit.get(pk=pk).slug for pk in (kimdong.pk, kimhai.pk, ours.pk)}
    assert len(slugs) == 3 and "khai-truong-cho-nong-thon-moi" in slugs
    assert Article.every_unit.get(pk=ours.pk).slug == "khai-truong-cho-nong-thon-moi"
    moved = Article.every_unit.get(pk=kimhai.pk)
    response = client.get("/tin-tuc/khai-truong-cho-nong-thon-moi/", HTTP_HOST="kimhai.localhost")
    assert response["Location"] == f"http://{NEW_HOST}{moved.get_absolute_url()}"
    # The search entry follows the article to its new address and unit.
    entry = SearchEntry.every_unit.get(kind="article", object_id=moved.pk)
    assert (entry.unit_id, entry.url) == (new.pk, moved.get_absolute_url())


def test_unmatched_paths_keep_their_path_and_query_and_the_port(client, reform):
    """A category's later page and feed follow the category; other addresses go to the same path."""
    olds, new = reform
    category = Category.every_unit.get(unit=olds[1], name="Du lịch")
    call_command("merge_units", "kim-dong", "kim-hai", "binh-minh", stdout=io.StringIO())
    category.refresh_from_db()
    assert category.slug != "du-lich"  # renamed: the new unit has a top Du lịch, this one is under Kinh tế
    response = client.get("/chuyen-muc/du-lich/rss/?page=1", HTTP_HOST="kimhai.localhost:8000")
    assert response.status_code == 301
    assert response["Location"] == f"http://{NEW_HOST}:8000/chuyen-muc/{category.slug}/rss/?page=1"
    response = client.get("/khong-co-trang-nay/?a=1", HTTP_HOST="kimhai.localhost")
    assert response["Location"] == f"http://{NEW_HOST}/khong-co-trang-nay/?a=1"
    form = client.post("/gop-y/", {"title": "x"}, HTTP_HOST="kimhai.localhost")
    assert form.status_code == 308 and form["Location"] == f"http://{NEW_HOST}/gop-y/"


def test_categories_of_the_same_place_become_one(client, reform):
    """Kinh tế in all three units, Kinh tế › Nông nghiệp in two: one of each on the new portal, with
    every article; the old ones' pages and feeds answer 301 to it; the report names them."""
    olds, new = reform
    ours = Category.every_unit.get(unit=new, slug="kinh-te")
    farming = Category.every_unit.get(unit=new, slug="nong-nghiep")
    old_farming = Category.every_unit.get(unit=olds[0], slug="nong-nghiep")
    out = io.StringIO()
    call_command("merge_units", "kim-dong", "kim-hai", "binh-minh", stdout=out)

    assert list(Category.every_unit.filter(unit=new, name="Kinh tế")) == [ours]
    assert list(Category.every_unit.filter(unit=new, name="Nông nghiệp")) == [farming]
    assert not Category.every_unit.filter(pk=old_farming.pk).exists()
    assert Category.every_unit.filter(unit=new, parent=None).count() == 6 + 2  # Làng nghề, Du lịch
    assert Article.every_unit.get(title="Lúa chất lượng cao ở Kim Đông").category == farming
    assert Article.every_unit.get(title="Thu hoạch cói vụ mùa Kim Hải").category == ours
    # Kim Hải's Kinh tế › Du lịch: renamed, under the one Kinh tế; Kim Đông's Làng nghề as it was.
    travel = Article.every_unit.get(title="Du lịch biển Kim Hải").category
    assert travel.parent == ours and travel.slug != "du-lich"
    assert Category.every_unit.get(unit=new, name="Làng nghề").slug == "lang-nghe"

    home = client.get("/", HTTP_HOST=NEW_HOST).content.decode()
    menu = home[home.index('aria-label="Menu chính"') : home.index("</nav>", home.index('aria-label="Menu chính"'))]
    assert menu.count(">Kinh tế</a>") == 1 and menu.count(">Nông nghiệp</a>") == 1
    assert menu.count(">Du lịch</a>") == 2  # the new unit's own, and Kim Hải's under Kinh tế
    listed = client.get("/chuyen-muc/kinh-te/", HTTP_HOST=NEW_HOST).content.decode()
    for unit in ("Kim Đông", "Kim Hải", "Bình Minh"):
        assert f"Thu hoạch cói vụ mùa {unit}" in listed

    for path in ("/chuyen-muc/kinh-te/", "/chuyen-muc/kinh-te/?page=2", "/chuyen-muc/kinh-te/rss/"):
        response = client.get(path, HTTP_HOST="kimdong.localhost")
        assert response.status_code == 301
        assert response["Location"] == f"http://{NEW_HOST}{path}"
    assert MovedPath.objects.filter(unit=olds[0], path="/chuyen-muc/kinh-te/", target="/chuyen-muc/kinh-te/").exists()
    assert MovedPath.objects.filter(
        unit=olds[0], path="/chuyen-muc/nong-nghiep/", target="/chuyen-muc/nong-nghiep/"
    ).exists()
    feed = client.get("/chuyen-muc/kinh-te/rss/", HTTP_HOST=NEW_HOST).content.decode()
    assert "Thu hoạch cói vụ mùa Kim Đông" in feed

    report = out.getvalue()
    assert "  Gộp chuyên mục: Kinh tế của Xã Kim Đông vào Kinh tế (/chuyen-muc/kinh-te/)" in report
    assert "  Gộp chuyên mục: Kinh tế › Nông nghiệp của Xã Kim Đông vào Kinh tế › Nông nghiệp" in report
    assert "  Gộp chuyên mục: Kinh tế của Xã Kim Hải vào Kinh tế (/chuyen-muc/kinh-te/)" in report
    assert "Làng nghề" not in report and "Gộp chuyên mục: Kinh tế › Du lịch" not in report


def test_intro_pages_of_the_same_address_keep_the_new_units_and_set_the_old_ones_aside(client, reform):
    """Every unit has /gioi-thieu/tong-quan/: the new unit's stays; the old address goes to it; the
    old page's text stays on the new portal under another address, out of the intro menu."""
    olds, new = reform
    ours = Page.every_unit.get(unit=new, slug="tong-quan")
    theirs = Page.every_unit.get(unit=olds[0], slug="tong-quan")
    assert "xã Kim Đông" in theirs.body
    out = io.StringIO()
    call_command("merge_units", "kim-dong", "kim-hai", "binh-minh", stdout=out)

    assert Page.every_unit.get(pk=ours.pk).slug == "tong-quan" and Page.every_unit.get(pk=ours.pk).in_menu
    theirs.refresh_from_db()
    assert theirs.unit == new and theirs.slug == "tong-quan-kim-dong" and not theirs.in_menu
    assert theirs.is_published and "xã Kim Đông" in theirs.body
    response = client.get("/gioi-thieu/tong-quan/", HTTP_HOST="kimdong.localhost")
    assert response.status_code == 301 and response["Location"] == f"http://{NEW_HOST}/gioi-thieu/tong-quan/"
    kept = client.get("/gioi-thieu/tong-quan-kim-dong/", HTTP_HOST=NEW_HOST)
    assert kept.status_code == 200 and "xã Kim Đông" in kept.content.decode()
    intro = client.get("/gioi-thieu/", HTTP_HOST=NEW_HOST).content.decode()
    assert "xã Bình Minh" in intro and "tong-quan-kim-dong" not in intro and "tong-quan-kim-hai" not in intro
    assert intro.count(">Tổng quan</a>") == 1
    report = out.getvalue()
    assert (
        "  Trang giới thiệu /gioi-thieu/tong-quan/: giữ trang giới thiệu của Xã Bình Minh; trang giới thiệu"
        " của Xã Kim Đông chuyển sang /gioi-thieu/tong-quan-kim-dong/ (không hiện trên menu)"
    ) in report


def test_content_and_counters_add_up(reform):
    """Articles, documents, procedures, feedback move; each day's visits and the carried-over totals add up."""
    olds, new = reform
    models = (Article, Document, Procedure, Feedback, Category, Page, Poll, SearchEntry)
    total = {model: model.every_unit.filter(unit__in=[*olds, new]).count() for model in models}
    out = io.StringIO()
    call_command("merge_units", "kim-dong", "kim-hai", "binh-minh", stdout=out)
    joined = 6 * 2 + 1  # the default categories of both old units, and Kim Đông's Kinh tế › Nông nghiệp
    total[Category] -= joined
    for model in models:
        assert model.every_unit.filter(unit=new).count() == total[model], model
        assert not model.every_unit.filter(unit__in=olds).exists(), model
    assert DailyVisits.every_unit.get(unit=new, day=DAY).visits == 100 + 200 + 300
    assert DailyVisits.every_unit.filter(unit=new).count() == 4  # DAY, and one earlier day per unit
    assert not DailyVisits.every_unit.filter(unit__in=olds).exists()
    assert VisitCounter.objects.get(unit=new).starting_total == 1000 + 2000 + 3000
    assert Feedback.every_unit.get(title="Hỏi về đường Kim Đông").unit == new
    assert Document.every_unit.get(summary="Về việc giao đất ở Kim Hải").unit == new
    assert [unit.merged_into for unit in Unit.objects.filter(pk__in=[u.pk for u in olds])] == [new, new]
    report = out.getvalue()
    assert "Đã sáp nhập Xã Kim Đông, Xã Kim Hải vào Xã Bình Minh." in report
    assert "  Bài viết: 7" in report and "  Văn bản điện tử: 2" in report and "  Góp ý của nhân dân: 2" in report
    assert "  Lượt truy cập theo ngày: 4" in report
    assert re.search(
        r"Đổi đường dẫn \(Bài viết\): khai-truong-cho-nong-thon-moi → khai-truong-cho-nong-thon-moi-\d", report
    )


def test_the_new_portal_shows_the_moved_content(client, reform):
    call_command("merge_units", "kim-dong", "kim-hai", "binh-minh", stdout=io.StringIO())
    home = client.get("/", HTTP_HOST=NEW_HOST).content.decode()
    assert "Thu hoạch cói vụ mùa Kim Đông" in home and "Thu hoạch cói vụ mùa Kim Hải" in home
    questions = client.get("/gop-y/hoi-dap/", HTTP_HOST=NEW_HOST).content.decode()
    assert "Hỏi về đường Kim Đông" in questions and "Hỏi về đường Kim Hải" in questions


def test_a_unit_merged_twice_still_sends_its_old_addresses_to_the_last_unit(client, reform):
    """Kim Đông into Kim Hải, then Kim Hải into Bình Minh: Kim Đông's article lands on Bình Minh."""
    olds, new = reform
    article = Article.every_unit.get(unit=olds[0], title__startswith="Thu hoạch")
    old_path = article.get_absolute_url()
    call_command("merge_units", "kim-dong", "kim-hai", stdout=io.StringIO())
    call_command("merge_units", "kim-hai", "binh-minh", stdout=io.StringIO())
    response = client.get(old_path, HTTP_HOST="kimdong.localhost")
    assert response["Location"] == f"http://{NEW_HOST}{Article.every_unit.get(pk=article.pk).get_absolute_url()}"
    assert Unit.objects.get(code="kim-dong").merged_into == new
    assert MovedPath.objects.filter(unit=olds[0]).exists()


def test_merge_command_refuses_itself_unknown_codes_and_merged_units(reform):
    olds, new = reform
    with pytest.raises(CommandError, match="Không thể sáp nhập Xã Bình Minh vào chính nó"):
        call_command("merge_units", "binh-minh", "binh-minh")
    with pytest.raises(CommandError, match="Không có đơn vị mã khong-co"):
        call_command("merge_units", "khong-co", "binh-minh")
    with pytest.raises(CommandError, match="Cần mã ít nhất một đơn vị cũ"):
        call_command("merge_units", "binh-minh")
    call_command("merge_units", "kim-dong", "binh-minh", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Xã Kim Đông đã được sáp nhập trước đây"):
        call_command("merge_units", "kim-dong", "binh-minh")
    with pytest.raises(CommandError, match="Xã Kim Đông đã được sáp nhập vào đơn vị khác"):
        call_command("merge_units", "kim-hai", "kim-dong")
    assert Article.every_unit.filter(unit=olds[1]).count() == 3


def test_admin_merge_action_confirms_then_merges_and_reports(client, reform):
    """ "Sáp nhập vào đơn vị…": a confirmation page listing what moves, then the merge and its summary."""
    olds, new = reform
    client.force_login(make_staff("tinh", superuser=True))
    url = reverse("admin:portal_unit_changelist")
    selected = {"action": "merge_into", "_selected_action": [u.pk for u in olds]}
    page = client.post(url, selected)
    html = page.content.decode()
    assert page.status_code == 200 and "Sáp nhập đơn vị" in html
    assert "Bài viết 4" in html and "Bài viết 3" in html and "Văn bản điện tử 1" in html
    response = client.post(url, {**selected, "target": new.pk, "confirm": new.pk}, follow=True)
    message = response.content.decode()
    assert "Đã sáp nhập Xã Kim Đông, Xã Kim Hải vào Xã Bình Minh" in message
    assert "gộp 13 chuyên mục trùng tên vào chuyên mục có sẵn (Chính trị, Kinh tế, " in message
    assert "Thông báo, Kinh tế › Nông nghiệp)" in message
    assert "6 trang giới thiệu trùng đường dẫn giữ riêng, không hiện trên menu" in message
    assert Article.every_unit.filter(unit=new).count() == 4 + 3 + 3
    refused = client.post(
        url, {"action": "merge_into", "_selected_action": [new.pk], "target": new.pk, "confirm": new.pk}
    )
    assert refused.status_code == 200 and not Unit.objects.get(pk=new.pk).merged_into_id


def test_the_plan_names_exactly_what_the_merge_then_does(reform):
    """`merging.plan_merge` (the confirmation page's preview) reads only: the merge that follows
    joins, sets aside and renames the same rows, and records as many old addresses."""
    olds, new = reform
    plan = merging.plan_merge(olds, new)
    assert not MovedPath.objects.exists() and not Unit.objects.filter(merged_into=new).exists()
    assert Page.every_unit.get(unit=olds[0], slug="tong-quan").in_menu  # nothing set aside yet
    assert plan.joined and plan.kept and plan.renamed
    report = merging.merge_units(olds, new)
    assert plan.joined == report.joined
    assert plan.kept == report.kept
    assert plan.renamed == report.renamed
    assert plan.redirects == report.redirects


def test_admin_merge_previews_what_will_be_joined_set_aside_and_renamed(client, reform):
    """After the target is chosen, the page lists the categories joined, the intro pages set aside
    and the addresses renamed, before anything moves; "Sáp nhập" then merges."""
    olds, new = reform
    plan = merging.plan_merge(olds, new)
    client.force_login(make_staff("tinh", superuser=True))
    url = reverse("admin:portal_unit_changelist")
    selected = {"action": "merge_into", "_selected_action": [u.pk for u in olds]}
    preview = client.post(url, {**selected, "target": new.pk})
    html = preview.content.decode()
    assert preview.status_code == 200 and "Sáp nhập vào Xã Bình Minh" in html
    assert "Chuyên mục được gộp" in html and "Trang giới thiệu giữ riêng" in html and "Đổi đường dẫn" in html
    for _label, old_unit, row, survivor, address in plan.joined:
        assert f"<li>{row} của {old_unit} → {survivor} ({address})</li>" in html
    for _label, address, old_unit, aside in plan.kept:
        assert f"{address}: giữ trang của Xã Bình Minh; trang của {old_unit} chuyển sang {aside}" in html
    for label, old, fresh in plan.renamed:
        assert f"{label}: {old} → {fresh}" in html
    assert "/gioi-thieu/tong-quan-kim-dong/" in html and "Kinh tế › Nông nghiệp của Xã Kim Đông" in html
    assert not Unit.objects.filter(merged_into=new).exists() and not MovedPath.objects.exists()
    assert f'name="confirm" value="{new.pk}"' in html
    # Another target chosen on the preview is previewed, not merged into.
    other = creating.create_unit("Kim Mỹ", "xa", ["kimmy.localhost"])
    switched = client.post(url, {**selected, "target": other.pk, "confirm": new.pk})
    assert "Sáp nhập vào Xã Kim Mỹ" in switched.content.decode() and not Unit.objects.filter(merged_into=other).exists()
    done = client.post(url, {**selected, "target": new.pk, "confirm": new.pk}, follow=True)
    assert "Đã sáp nhập Xã Kim Đông, Xã Kim Hải vào Xã Bình Minh" in done.content.decode()
    assert Unit.objects.filter(merged_into=new).count() == 2
