"""Two unit portals side by side: nothing of one shows, answers or changes on the other's host.

Unit A (Xuân Thủy, xuanthuy.localhost) gets content of every public kind, each title carrying the
word MARK; unit B (Kim Hải, kimhai.localhost) has a little content of its own. Every public address
found on A's portal (by following its links, sitemaps and feeds from the home page) is then asked
for on B's host: none may show A's words or addresses, and the ones that act on A's objects (a
vote, a rating, a download, a lookup) are refused there without changing A.
"""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from documents.models import DocumentFile
from feedback.models import Feedback
from news.models import Article, Category
from pages.models import ContactDetails, Leader, Page, ScheduleEntry
from polls.models import Vote
from portal import units
from portal.models import SiteSettings
from ratings.models import Rating
from search.registry import rebuild
from services.models import Dossier, ProcedureForm
from tests.factories import (
    make_article,
    make_category,
    make_document,
    make_poll,
    make_procedure,
    make_staff,
    make_unit,
    pdf_upload,
    visitor_cookie,
)

pytestmark = pytest.mark.django_db

MARK = "Xuanthuy"
A_HOST, B_HOST = "xuanthuy.localhost", "kimhai.localhost"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)|<(?:loc|link)>([^<]+)</""")
SKIPPED = ("/static/", "/media/", "/quan-tri/", "/admin/", "mailto:", "tel:", "javascript:")
MAX_CRAWLED = 400
# What only A's content says, besides MARK (a search for MARK echoes the word typed, not A's items).
A_PHRASES = ("lễ hội đền", "kế hoạch đất", "77/QĐ-XT", "tệp quyết định", "đường hỏng", "họp giao ban", "bạn đọc gì")


def reader():
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.cookies["kv"] = visitor_cookie()
    return client


@pytest.fixture
def two_portals(settings):
    settings.ALLOWED_HOSTS = [".localhost", "testserver", "127.0.0.1"]
    a = make_unit("Xuân Thủy", A_HOST)
    b = make_unit("Kim Hải", B_HOST)
    made = {}
    with units.active(a):
        site = SiteSettings.load()
        site.site_title = f"Cổng {MARK}"
        site.unit_name = MARK
        site.welcome_line = f"Chào mừng đến {MARK}"
        site.save()
        contact = ContactDetails.load()
        contact.organisation = f"UBND xã {MARK}"
        contact.save()
        category = make_category(f"{MARK} Văn hóa")
        made["article"] = make_article(f"{MARK} lễ hội đền", category=category, slug="xuanthuy-le-hoi", featured=True)
        made["document"] = make_document(number="77/QĐ-XT", summary=f"{MARK} kế hoạch đất")
        made["file"] = DocumentFile.objects.create(
            document=made["document"], file=pdf_upload("xt.pdf"), title=f"{MARK} tệp quyết định"
        )
        made["procedure"] = make_procedure(f"{MARK} đăng ký khai sinh")
        made["form"] = ProcedureForm.objects.create(
            procedure=made["procedure"], title=f"{MARK} tờ khai", file=pdf_upload("tk.pdf")
        )
        made["dossier"] = Dossier.objects.create(
            procedure=made["procedure"],
            applicant_name=f"{MARK} Bình",
            applicant_phone="0912345678",
            received_on=date(2026, 11, 20),
            due_on=date(2026, 11, 25),
        )
        made["dossier"].record(Dossier.Status.RECEIVED)
        made["page"] = Page.objects.create(title=f"{MARK} lịch sử", slug="xuanthuy-lich-su", body="<p>Lịch sử.</p>")
        made["leader"] = Leader.objects.create(name=f"Nguyễn {MARK}", title="Chủ tịch UBND xã")
        ScheduleEntry.objects.create(day=timezone.localdate(), content=f"{MARK} họp giao ban", is_published=True)
        made["poll"] = make_poll(f"{MARK} bạn đọc gì?", choices=(f"{MARK} tin", f"{MARK} văn bản"))
        made["feedback"] = Feedback.objects.create(
            name=f"{MARK} An",
            address="Xóm 1",
            phone="0987654321",
            title=f"{MARK} đường hỏng",
            content="Đề nghị sửa.",
            answer="Đã sửa.",
            status=Feedback.Status.PUBLISHED,
            public_title=f"{MARK} đường hỏng",
            public_content="Đề nghị sửa.",
            attachment=ContentFile(b"%PDF-1.4 anh", name="anh.pdf"),
        )
    with units.active(b):
        made["b_article"] = make_article("Kim Hải mùa cói", category=make_category("Văn hóa"), slug="kim-hai-coi")
        make_document(number="12/QĐ-KH", summary="Kim Hải quy hoạch")
        make_poll("Kim Hải hỏi ý kiến")
    rebuild()
    return a, b, made


def links(body, host):
    """Paths on `host` (or relative) that a page links to."""
    found = []
    for groups in LINK.findall(body):
        url = (groups[0] or groups[1]).strip().replace("&amp;", "&")
        parts = urlsplit(url)
        if parts.scheme and parts.scheme not in ("http", "https"):
            continue
        if parts.netloc and parts.netloc.split(":")[0] != host:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(SKIPPED):
            found.append(path)
    return found


def crawl(client, host, start):
    """{path: (status, body)} of every page reachable on `host` from `start`."""
    seen, queue = {}, list(start)
    while queue and len(seen) < MAX_CRAWLED:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path, HTTP_HOST=host)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        seen[path] = (response.status_code, text)
        if response.status_code == 200 and "html" in response.get("Content-Type", "") or path.endswith(".xml"):
            queue += [link for link in links(text, host) if link not in seen]
        elif "rss" in response.get("Content-Type", "") or "xml" in response.get("Content-Type", ""):
            queue += [link for link in links(text, host) if link not in seen]
    return seen


START = [
    "/",
    "/sitemap.xml",
    "/rss/",
    "/robots.txt",
    "/du-lieu-mo/",
    "/du-lieu-mo/van-ban.json",
    "/du-lieu-mo/van-ban.csv",
    f"/tim-kiem/?q={MARK.lower()}",
    f"/tim-kiem/goi-y/?q={MARK.lower()}",
    "/gop-y/",
    "/gop-y/hoi-dap/",
    "/gop-y/du-lieu-ca-nhan/",
    "/gop-y/tra-cuu/",
    "/mot-cua/",
    "/mot-cua/tra-cuu/",
    "/van-ban/",
    "/gioi-thieu/",
    "/gioi-thieu/lanh-dao/",
    "/lich-cong-tac/",
    "/lien-he/",
    "/lien-he/en/",
    "/tin-tuc/",
    "/khong-co-trang-nay/",
]


def object_paths(made):
    return [
        made["article"].get_absolute_url(),
        made["article"].category.get_absolute_url(),
        f"{made['article'].category.get_absolute_url()}rss/",
        made["document"].get_absolute_url(),
        made["file"].get_absolute_url(),
        made["procedure"].get_absolute_url(),
        made["form"].get_absolute_url(),
        made["page"].get_absolute_url(),
        f"/binh-chon/{made['poll'].pk}/",
        f"/binh-chon/{made['poll'].pk}/ket-qua/",
    ]


def test_every_public_address_of_one_unit_shows_nothing_of_it_on_another(two_portals):
    """Crawl A's portal; every address found, asked for on B's host, shows none of A's words or links."""
    a, b, made = two_portals
    client = reader()
    on_a = crawl(client, A_HOST, START + object_paths(made))
    # The crawl really saw A's content (otherwise the check below would prove nothing).
    shown = [path for path, (status, body) in on_a.items() if status == 200 and MARK.lower() in body.lower()]
    downloads = [made["file"].get_absolute_url(), made["form"].get_absolute_url()]
    for path in object_paths(made) + ["/", "/sitemap-tin-tuc.xml", "/rss/", "/du-lieu-mo/van-ban.json"]:
        assert path in shown or (path in downloads and on_a[path][0] == 200), path
    assert len(on_a) > 40
    a_addresses = [path for path in object_paths(made)] + [f"/danh-gia/{made['article'].pk}/", A_HOST]
    for path in on_a:
        response = client.get(path, HTTP_HOST=B_HOST)
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        assert response.status_code < 500, path
        if MARK.lower() not in path.lower():
            assert MARK.lower() not in body.lower(), path
        assert "xuân thủy" not in body.lower(), path
        for phrase in A_PHRASES:
            assert phrase.lower() not in body.lower(), (path, phrase)
        echoed = body.replace(path, "")  # a 404 page names its own address (canonical link)
        for address in a_addresses:
            assert address not in echoed, (path, address)
        assert A_HOST not in response.get("Location", ""), path
    for path in object_paths(made):
        assert client.get(path, HTTP_HOST=B_HOST).status_code == 404, path


def test_sitemaps_feeds_and_robots_name_the_requests_host(two_portals):
    """B's sitemap lists B's own pages on B's host; its feed and robots.txt point at B's host."""
    a, b, made = two_portals
    client = reader()
    index = client.get("/sitemap.xml", HTTP_HOST=B_HOST).content.decode()
    assert f"http://{B_HOST}/sitemap-tin-tuc.xml" in index
    articles = client.get("/sitemap-tin-tuc.xml", HTTP_HOST=B_HOST).content.decode()
    assert f"http://{B_HOST}/tin-tuc/kim-hai-coi/" in articles and "xuanthuy" not in articles
    feed = client.get("/rss/", HTTP_HOST=B_HOST).content.decode()
    assert "Kim Hải mùa cói" in feed and MARK not in feed and f"http://{B_HOST}/" in feed
    robots = client.get("/robots.txt", HTTP_HOST=B_HOST).content.decode()
    assert f"Sitemap: http://{B_HOST}/sitemap.xml" in robots


def test_open_data_of_one_unit_only(two_portals):
    a, b, made = two_portals
    client = reader()
    for _ in range(2):  # the second answer comes from the cache
        body = client.get("/du-lieu-mo/van-ban.json", HTTP_HOST=B_HOST).json()
        assert [r["number"] for r in body["results"]] == ["12/QĐ-KH"]
        body = client.get("/du-lieu-mo/van-ban.json", HTTP_HOST=A_HOST).json()
        assert [r["number"] for r in body["results"]] == ["77/QĐ-XT"]
        assert body["results"][0]["url"].startswith(f"http://{A_HOST}/")
    csv = b"".join(client.get("/du-lieu-mo/van-ban.csv", HTTP_HOST=B_HOST).streaming_content).decode()
    assert "12/QĐ-KH" in csv and "77/QĐ-XT" not in csv


def test_search_and_suggestions_stay_in_the_unit(two_portals):
    """A's words find A's items on A's host and nothing on B's, asked once or again (cached)."""
    client = reader()
    for _ in range(2):
        page = client.get("/tim-kiem/", {"q": "le hoi"}, HTTP_HOST=B_HOST).content.decode()
        assert MARK not in page
        page = client.get("/tim-kiem/", {"q": "le hoi"}, HTTP_HOST=A_HOST).content.decode()
        assert f"{MARK} lễ hội đền" in page.replace("<mark>", "").replace("</mark>", "")
        suggested = client.get("/tim-kiem/goi-y/", {"q": "xuanth"}, HTTP_HOST=B_HOST).json()
        assert suggested["suggestions"] == []
        suggested = client.get("/tim-kiem/goi-y/", {"q": "xuanth"}, HTTP_HOST=A_HOST).json()
        assert suggested["suggestions"]
    # A typo of A's word is not corrected into A's word on B (nothing there to find).
    page = client.get("/tim-kiem/", {"q": "xuanthuyy"}, HTTP_HOST=B_HOST).content.decode()
    assert "xuanthuy" not in page.lower().replace("xuanthuyy", "")


def test_posts_about_another_units_objects_are_refused(two_portals):
    """A vote, a rating and the lookups for A's objects sent to B's host: 404, and A is unchanged."""
    a, b, made = two_portals
    client = reader()
    client.get("/", HTTP_HOST=B_HOST)  # the visitor cookie is known
    poll, article = made["poll"], made["article"]
    choice = poll.choices.first()
    response = client.post(f"/binh-chon/{poll.pk}/bo-phieu/", {"choice": choice.pk}, HTTP_HOST=B_HOST)
    assert response.status_code == 404
    response = client.post(f"/danh-gia/{article.pk}/", {"score": 5}, HTTP_HOST=B_HOST)
    assert response.status_code == 404
    assert not Vote.objects.filter(poll=poll).exists() and not Rating.objects.filter(article=article).exists()
    choice.refresh_from_db()
    assert choice.votes == 0
    feedback, dossier = made["feedback"], made["dossier"]
    response = client.post("/gop-y/tra-cuu/", {"code": feedback.code, "contact": "0987654321"}, HTTP_HOST=B_HOST)
    assert response.status_code == 404 and MARK not in response.content.decode()
    response = client.post("/mot-cua/tra-cuu/", {"ma": dossier.receipt_code, "so_cuoi": "5678"}, HTTP_HOST=B_HOST)
    assert response.status_code == 404 and MARK not in response.content.decode()
    # The same requests on A's own host do work (the test is able to fail).
    response = client.post("/gop-y/tra-cuu/", {"code": feedback.code, "contact": "0987654321"}, HTTP_HOST=A_HOST)
    assert response.status_code == 200 and MARK in response.content.decode()
    response = client.post("/mot-cua/tra-cuu/", {"ma": dossier.receipt_code, "so_cuoi": "5678"}, HTTP_HOST=A_HOST)
    assert response.status_code == 200
    client.get("/", HTTP_HOST=A_HOST)
    response = client.post(f"/binh-chon/{poll.pk}/bo-phieu/", {"choice": choice.pk}, HTTP_HOST=A_HOST)
    assert response.status_code == 303
    response = client.post(f"/danh-gia/{article.pk}/", {"score": 5}, HTTP_HOST=A_HOST)
    assert response.status_code == 302


def test_downloads_of_another_units_files_are_not_found(two_portals):
    """A document's file, a procedure's form and a feedback attachment of A: 404 on B's host."""
    a, b, made = two_portals
    client = reader()
    for item in (made["file"], made["form"]):
        assert client.get(item.get_absolute_url(), HTTP_HOST=B_HOST).status_code == 404
        assert client.get(item.get_absolute_url(), HTTP_HOST=A_HOST).status_code == 200
    staff = Client()
    staff.force_login(make_staff("xem", superuser=True))
    path = f"/gop-y/tep-dinh-kem/{made['feedback'].pk}/"
    assert staff.get(path, HTTP_HOST=B_HOST).status_code == 404
    assert staff.get(path, HTTP_HOST=A_HOST).status_code == 200
    assert DocumentFile.objects.get(pk=made["file"].pk).download_count == 1


def test_a_category_saved_outside_a_request_refreshes_its_own_units_menu(two_portals):
    """The menu is kept per unit; a category added by a command (no request) shows on its unit's menu."""
    a, b, made = two_portals
    client = reader()
    assert "Nông nghiệp" not in client.get("/", HTTP_HOST=B_HOST).content.decode()
    Category.objects.create(unit=b, name="Nông nghiệp")  # no unit active, as in a management command
    assert "Nông nghiệp" in client.get("/", HTTP_HOST=B_HOST).content.decode()
    assert "Nông nghiệp" not in client.get("/", HTTP_HOST=A_HOST).content.decode()


@pytest.mark.usefixtures("counter_store")
def test_cached_pages_are_per_unit_and_go_stale_per_unit(two_portals):
    """A page kept for A is never B's; publishing in A leaves B's kept pages in place."""
    a, b, made = two_portals
    client = Client(HTTP_USER_AGENT=BROWSER)
    for _ in range(2):
        assert MARK in client.get("/", HTTP_HOST=A_HOST).content.decode()
        b_home = client.get("/", HTTP_HOST=B_HOST).content.decode()
        assert "Kim Hải mùa cói" in b_home and MARK not in b_home
    # Changed without signals: a kept page still shows the old title, a fresh one the new.
    Article.every_unit.filter(pk=made["b_article"].pk).update(title="Kim Hải đổi tên")
    with units.active(a):
        make_article(f"{MARK} tin mới đăng", slug="xuanthuy-tin-moi")
    assert f"{MARK} tin mới đăng" in client.get("/", HTTP_HOST=A_HOST).content.decode()
    b_home = client.get("/", HTTP_HOST=B_HOST).content.decode()
    assert "Kim Hải mùa cói" in b_home and "đổi tên" not in b_home
    with units.active(b):
        make_article("Kim Hải tin mới", slug="kim-hai-moi")
    b_home = client.get("/", HTTP_HOST=B_HOST).content.decode()
    assert "Kim Hải tin mới" in b_home and "Kim Hải đổi tên" in b_home


@pytest.mark.usefixtures("counter_store")
def test_a_child_row_saved_outside_a_request_makes_its_units_pages_stale(two_portals):
    """A poll option added to A's poll by a command (no unit active) stales A's pages, not the first unit's."""
    a, b, made = two_portals
    client = Client(HTTP_USER_AGENT=BROWSER)
    for _ in range(2):
        assert "Phương án thêm" not in client.get("/", HTTP_HOST=A_HOST).content.decode()
    made["poll"].choices.create(text="Phương án thêm", order=9)
    assert "Phương án thêm" in client.get("/", HTTP_HOST=A_HOST).content.decode()


def test_unknown_host_lists_nothing(two_portals):
    response = Client().get("/tin-tuc/", HTTP_HOST="la.localhost")
    assert response.status_code == 404
    assert MARK not in response.content.decode() and "<a" not in response.content.decode()


def test_a_scheduled_article_of_one_unit_does_not_cut_the_others_cache(two_portals, settings):
    """When the next scheduled article appears is kept per unit."""
    a, b, made = two_portals
    with units.active(a):
        make_article(f"{MARK} hẹn giờ", days=-1, slug="xuanthuy-hen-gio")
    from news.queries import next_scheduled_at

    with units.active(b):
        assert next_scheduled_at() is None
    with units.active(a):
        assert next_scheduled_at() > timezone.now() + timedelta(hours=23)
