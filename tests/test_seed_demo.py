from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from news.models import Article, Category

pytestmark = pytest.mark.django_db


def counts():
    User = get_user_model()
    return {
        "categories": Category.objects.count(),
        "articles": Article.objects.count(),
        "users": User.objects.count(),
        "memberships": User.groups.through.objects.count(),
    }


@pytest.fixture
def seeded():
    call_command("seed_demo", verbosity=0)
    return counts()


def test_seed_demo_writes_categories_and_articles_of_the_last_90_days(seeded):
    """At least 6 categories and 40 published articles spread over the last 90 days, with covers and captions."""
    now = timezone.now()
    assert Category.objects.filter(parent=None).count() >= 6
    public = Article.objects.published()
    assert public.count() >= 40
    assert not public.filter(publish_at__lt=now - timedelta(days=90)).exists()
    assert public.filter(publish_at__lt=now - timedelta(days=45)).exists()
    assert not public.filter(cover_image="").exists()
    assert not public.filter(cover_caption="").exists()
    assert public.filter(featured=True).exists()


def test_seed_demo_has_a_scheduled_and_a_draft_article(seeded):
    """One article is scheduled in the future and one is a draft; neither is public."""
    now = timezone.now()
    assert Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=now).count() == 1
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1


def test_seed_demo_has_the_defence_cluster_article(seeded, client):
    """ "Quốc phòng - An ninh" holds an article on the defence-cluster conference of the reference's communes."""
    article = Article.objects.published().get(category__name="Quốc phòng - An ninh", title__contains="cụm số 1")
    for commune in ("Xuân Chính", "Chất Bình", "Hồi Ninh", "Kim Định", "Ân Hòa"):
        assert commune in article.sapo + article.body
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Quốc phòng - An ninh" in page and '<p class="article__author">Mai Hoa</p>' in page


def test_seed_demo_creates_an_admin_and_one_user_per_group(seeded):
    """The demo has a superuser and a staff user in each editorial group, with the README's passwords."""
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    assert list(User.objects.get(username="bientap").groups.values_list("name", flat=True)) == ["Biên tập viên"]
    assert list(User.objects.get(username="duyetbai").groups.values_list("name", flat=True)) == ["Duyệt bài"]
    assert User.objects.get(username="bientap").check_password("BienTap@2026")


def test_seed_demo_twice_changes_nothing(seeded):
    """Running seed_demo a second time adds and changes nothing."""
    before = list(Article.objects.order_by("pk").values_list("pk", "slug", "updated_at", "cover_image"))
    call_command("seed_demo", verbosity=0)
    assert counts() == seeded
    assert list(Article.objects.order_by("pk").values_list("pk", "slug", "updated_at", "cover_image")) == before


def test_demo_dossiers_match_their_processing_time_and_receipt_date(seeded):
    """A same-day procedure is due the day it was received; every code carries its day of receipt."""
    from services.models import Dossier

    birth = Dossier.objects.get(procedure__name="Đăng ký khai sinh")
    assert birth.due_on == birth.received_on
    for dossier in Dossier.objects.all():
        assert f"-{dossier.received_on:%y%m%d}-" in dossier.receipt_code
        assert dossier.received_on.weekday() < 5, dossier.received_on  # received on a working day
        assert dossier.due_on >= dossier.received_on
        for event in dossier.events.all():
            assert timezone.localdate(event.at) >= dossier.received_on
            if event.status in ("done", "returned"):
                assert timezone.localdate(event.at) <= dossier.due_on
    land = Dossier.objects.get(procedure__name__startswith="Đăng ký biến động")
    assert (land.due_on - land.received_on).days >= 14  # 10 working days span two weekends


def test_demo_replacements_are_chronological(seeded):
    """A document is replaced only by a newer one already in force, and ends the day that one starts."""
    from documents.models import Document

    today = timezone.localdate()
    pairs = [(new, old) for new in Document.objects.all() for old in new.replaces.all()]
    assert pairs
    for new, old in pairs:
        starts = new.effective_from or new.issued_on
        assert new.issued_on > old.issued_on
        assert starts <= today
        assert old.effective_until == starts


def test_demo_drafts_pending_and_scheduled_articles_have_no_views(seeded):
    unpublished = Article.objects.exclude(pk__in=Article.objects.published().values("pk"))
    assert unpublished.count() == 3  # a draft, one waiting for review, one scheduled
    assert set(unpublished.values_list("view_count", flat=True)) == {0}
    assert not Article.objects.published().filter(view_count=0).exists()


def test_demo_questions_are_answered_days_after_they_were_sent(seeded):
    from feedback.models import Feedback

    items = Feedback.objects.published()
    assert items.count() == 3 + 3  # the reference portal's three, one in each other demo unit
    for item in items:
        assert item.public_title and item.public_content
        assert (item.answered_at - item.created_at).days >= 3


def test_demo_leader_portraits_show_a_silhouette(seeded):
    """Not a flat rectangle: a darker head shape on a soft, light background."""
    from PIL import Image

    from pages.models import Leader

    for leader in Leader.objects.all():
        with leader.photo.open("rb") as handle, Image.open(handle) as image:
            image = image.convert("L")
            corner, head = image.getpixel((8, 8)), image.getpixel((160, 165))
        assert corner > 200  # soft light background
        assert corner - head > 40  # the head stands out clearly


def test_seed_demo_says_what_it_wrote_and_later_that_nothing_changed():
    import io

    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    assert "Tạo tài khoản admin" in first.getvalue()
    assert first.getvalue().rstrip().splitlines()[-1].startswith("Đã ghi dữ liệu mẫu")
    assert second.getvalue().strip() == "Dữ liệu mẫu đã có từ trước: không thay đổi gì."


DEMO_HOSTS = {
    "127.0.0.1": ("XÃ KIM SƠN", "Sơ kết hoạt động cụm địa bàn quốc phòng"),
    "kimson.localhost": ("XÃ KIM SƠN", "Sơ kết hoạt động cụm địa bàn quốc phòng"),
    "ninhbinh.localhost": ("TỈNH NINH BÌNH", "Quần thể danh thắng Tràng An đón lượng khách kỷ lục"),
    "kimdong.localhost": ("XÃ KIM ĐÔNG", "Nông dân xã Kim Đông thu hoạch ngao"),
    "phatdiem.localhost": ("XÃ PHÁT DIỆM", "Nhà thờ đá Phát Diệm đón đoàn khách quốc tế"),
}


def test_each_demo_host_shows_its_own_portal(seeded, client):
    """The province and three communes answer on their demo hosts, each with its own name and articles only."""
    homes = {host: client.get("/", HTTP_HOST=f"{host}:8000") for host in DEMO_HOSTS}
    for host, (heading, article) in DEMO_HOSTS.items():
        assert homes[host].status_code == 200, host
        html = homes[host].content.decode()
        assert heading in html and article in html, host
        others = {title for other, (_, title) in DEMO_HOSTS.items() if title != article}
        if host == "ninhbinh.localhost":
            # The province's home shows its communes' latest news too ("Tin từ các xã").
            assert "Tin từ các xã" in html and "Nông dân xã Kim Đông thu hoạch ngao" in html
            continue
        assert not [title for title in others if title in html], host
    assert client.get("/", HTTP_HOST="khac.localhost:8000").status_code == 404


def test_each_demo_unit_has_documents_a_procedure_a_poll_and_intro_pages(seeded, client):
    from documents.models import Document
    from pages.models import Page
    from polls.models import Poll
    from portal import units
    from portal.models import Unit
    from services.models import Procedure

    province = Unit.objects.get(code="ninh-binh")
    assert province.kind == "tinh"
    communes = Unit.objects.filter(parent=province)
    assert {unit.name for unit in communes} == {"Kim Sơn", "Kim Đông", "Phát Diệm"}
    for unit in [province, *communes]:
        with units.active(unit):
            assert Article.objects.published().count() >= 4, unit
            assert Document.objects.exists() and Procedure.objects.exists(), unit
            assert Poll.objects.visible().exists() and Page.objects.filter(slug="tong-quan").exists(), unit
    page = client.get("/gioi-thieu/tong-quan/", HTTP_HOST="kimdong.localhost").content.decode()
    assert "Xã Kim Đông là xã ven biển" in page


def test_the_demo_province_administrator_manages_the_kim_dong_editor(seeded, client, settings):
    """README's accounts: `quantritinh` administers Ninh Bình's staff from ninhbinh.localhost and
    finds `bientap.kimdong` there, who works on kimdong.localhost only."""
    from django.urls import reverse

    settings.ADMIN_REQUIRE_2FA = False
    User = get_user_model()
    boss, editor = User.objects.get(username="quantritinh"), User.objects.get(username="bientap.kimdong")
    assert {(m.unit.code, g) for m in boss.unit_memberships.all() for g in m.groups.values_list("name", flat=True)} == {
        ("ninh-binh", "Quản trị tỉnh")
    }
    assert {
        (m.unit.code, g) for m in editor.unit_memberships.all() for g in m.groups.values_list("name", flat=True)
    } == {("kim-dong", "Biên tập viên")}
    assert not boss.groups.exists() and not editor.groups.exists() and not boss.is_superuser
    login = reverse("admin:login")
    assert (
        client.post(
            login, {"username": "quantritinh", "password": "QuanTriTinh@2026"}, HTTP_HOST="ninhbinh.localhost"
        ).status_code
        == 302
    )
    listed = client.get(reverse("admin:auth_user_changelist"), HTTP_HOST="ninhbinh.localhost")
    names = {user.username for user in listed.context["cl"].result_list}
    assert "bientap.kimdong" in names and "admin" not in names
    client.logout()
    assert (
        client.post(
            login, {"username": "bientap.kimdong", "password": "BienTap@2026"}, HTTP_HOST="kimdong.localhost"
        ).status_code
        == 302
    )
    client.logout()
    refused = client.post(
        login, {"username": "bientap.kimdong", "password": "BienTap@2026"}, HTTP_HOST="kimson.localhost"
    )
    assert refused.status_code == 200 and "_auth_user_id" not in client.session


def test_demo_passwords_are_written_once():
    """A demo account whose password was changed keeps it when seed_demo runs again."""
    call_command("seed_demo", verbosity=0)
    editor = get_user_model().objects.get(username="bientap.kimdong")
    editor.set_password("Mat-Khau-Moi@2026")
    editor.save()
    call_command("seed_demo", verbosity=0)
    editor.refresh_from_db()
    assert editor.check_password("Mat-Khau-Moi@2026")


def test_the_demo_speaks_of_each_unit_as_what_it_is(seeded, client):
    """Kim Sơn is a commune of the demo province: its portal's name, banner, footer, contact page,
    leaders, schedule and intro pages say xã, not huyện; the province says tỉnh."""
    import re

    from django.utils.html import escape

    for host in ("127.0.0.1", "kimson.localhost"):
        home = client.get("/", HTTP_HOST=f"{host}:8000").content.decode()
        assert "<title>Trang thông tin điện tử xã Kim Sơn</title>" in home, host
        assert '<span class="banner__unit">XÃ KIM SƠN</span>' in home
        assert "Chào mừng bạn đến với Trang thông tin điện tử xã Kim Sơn" in home
        assert "Cơ quan chủ quản: UBND xã Kim Sơn" in home
        assert "Chịu trách nhiệm chính: Chánh Văn phòng HĐND và UBND xã Kim Sơn" in home
        assert not re.search("huyện Kim Sơn", home, re.IGNORECASE), host
    pages = {
        path: client.get(path, HTTP_HOST="kimson.localhost").content.decode()
        for path in (
            "/lien-he/",
            "/lien-he/en/",
            "/gioi-thieu/lanh-dao/",
            "/gioi-thieu/",
            "/gioi-thieu/co-cau-to-chuc/",
        )
    }
    assert "Xã Kim Sơn, tỉnh Ninh Bình" in pages["/lien-he/"]
    assert escape("People's Committee of Kim Son Commune") in pages["/lien-he/en/"]
    assert "District" not in pages["/lien-he/en/"] and "district" not in pages["/lien-he/en/"]
    assert "Chủ tịch UBND xã" in pages["/gioi-thieu/lanh-dao/"]
    assert "Xã Kim Sơn là xã ven biển" in pages["/gioi-thieu/"]
    for path in ("/lien-he/", "/gioi-thieu/lanh-dao/", "/gioi-thieu/", "/gioi-thieu/co-cau-to-chuc/"):
        assert "huyện" not in pages[path].lower().replace("huyện ủy", ""), path
    week = client.get("/lich-cong-tac/", HTTP_HOST="kimson.localhost").content.decode()
    assert "Giao ban lãnh đạo UBND xã" in week and "UBND huyện" not in week
    province = client.get("/", HTTP_HOST="ninhbinh.localhost:8000").content.decode()
    assert "<title>Trang thông tin điện tử tỉnh Ninh Bình</title>" in province
    # The articles that name their source name the portal as it is now.
    assert not Article.objects.filter(source__icontains="huyện").exists()
    # Since 2025 there are no districts: the demo's news, categories and documents speak of none as
    # a unit of today (the former district, "huyện … cũ", may be named).
    from documents.models import Document
    from news.models import Category

    current = re.compile(r"huyện(?!\s+(?:Kim Sơn\s+)?cũ)|thị trấn", re.IGNORECASE)
    texts = [
        *(f"{a.title} {a.sapo} {a.body} {a.cover_caption}" for a in Article.every_unit.all()),
        *Category.every_unit.values_list("name", flat=True),
        *(f"{d.summary} {d.signer_title} {d.agency}" for d in Document.every_unit.select_related("agency")),
    ]
    assert [text[:80] for text in texts if current.search(text)] == []
    assert Article.objects.filter(source="Trang thông tin điện tử xã Kim Sơn").exists()
