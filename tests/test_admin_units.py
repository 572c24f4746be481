"""Staff per unit: every admin model, for each staff group, on another unit's host sees and changes
only that unit's rows (portal.staff, portal.sites)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.forms import ModelChoiceField
from django.forms.models import model_to_dict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from portal import staff, units
from portal.groups import APPROVERS, EDITORS, PROVINCE_ADMINS, STAFF_GROUPS
from portal.models import SiteSettings, UnitMembership
from tests.factories import (
    first_unit,
    make_article,
    make_category,
    make_document,
    make_poll,
    make_procedure,
    make_staff,
    make_unit,
)

pytestmark = pytest.mark.django_db

HOST_A, HOST_B = "127.0.0.1", "kimdong.localhost"
ROLES = [*STAFF_GROUPS, "superuser"]
MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def fill(unit, tag):
    """One row of every unit-owned admin model (and of the rows under them) in `unit`."""
    from feedback.models import Feedback, FeedbackLog
    from news import workflow
    from pages.models import ContactDetails, Leader, Page, ScheduleEntry
    from polls.models import Vote
    from ratings.models import Rating, RatingSummary
    from services.models import Dossier, ServiceSettings
    from stats.models import DailyVisits, VisitCounter

    with units.active(unit):
        category = make_category(f"Văn hóa {tag}")
        article = make_article(f"Bài {tag}", category=category, status="draft")
        workflow.record(article, workflow.TRANSITIONS["submit"], "draft", None)
        Rating.objects.create(article=article, visitor_id=f"khach{tag}", score=4)
        RatingSummary.objects.create(article=article, score_sum=4, votes=1)
        feedback = Feedback.objects.create(
            name=f"Người gửi {tag}", address="Xóm 1", phone="0912345678", title=f"Góp ý {tag}", content="Nội dung."
        )
        FeedbackLog.objects.create(feedback=feedback, changes=f"Ghi chú {tag}")
        VisitCounter.load()
        DailyVisits.objects.create(day=timezone.localdate(), visits=7 if tag == "A" else 3)
        make_document(number=f"1/{tag}-UBND")
        ServiceSettings.load()
        procedure = make_procedure(f"Thủ tục {tag}")
        Dossier.objects.create(
            procedure=procedure,
            applicant_name=f"Người nộp {tag}",
            applicant_phone="0912345678",
            due_on=timezone.localdate() + timedelta(days=5),
        )
        Page.objects.create(title=f"Trang {tag}", body="<p>Nội dung.</p>")
        Leader.objects.create(name=f"Lãnh đạo {tag}", title="Chủ tịch")
        ContactDetails.load()
        ScheduleEntry.objects.create(day=timezone.localdate(), content=f"Họp {tag}")
        poll = make_poll(f"Câu hỏi {tag}?")
        Vote.objects.create(poll=poll, visitor_id=f"khach{tag}").choices.add(poll.choices.first())
        SiteSettings.load()
        make_staff(f"canbo{tag.lower()}", group=EDITORS, unit=unit)


@pytest.fixture
def two_units():
    a, b = first_unit(), make_unit("Kim Đông", HOST_B)
    fill(a, "A")
    fill(b, "B")
    return a, b


def rows_of(model, unit):
    """The pks of `model`'s rows that belong to `unit` (None for a shared list)."""
    if staff.is_shared(model):
        return None
    return set(staff.in_reach(model._base_manager.all(), unit).values_list("pk", flat=True))


def login(client, role, unit):
    user = make_staff("nguoidung", superuser=True) if role == "superuser" else make_staff("nguoidung", role, unit=unit)
    client.force_login(user)
    return user


def postable(values):
    """A row's values as a form would post them."""

    def one(value):
        if value is None or hasattr(value, "storage"):
            return ""
        if isinstance(value, list | tuple):
            return [getattr(item, "pk", item) for item in value]
        return getattr(value, "pk", value)

    return {name: one(value) for name, value in values.items()}


def url(model, name, *args):
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)
    except NoReverseMatch:
        return None


def test_every_unit_owned_admin_model_has_a_row_in_each_unit(two_units):
    """fill() makes a row of every admin model that belongs to units; a new one must be added there."""
    a, b = two_units
    for model in MODELS:
        if not staff.is_shared(model):
            assert rows_of(model, a) and rows_of(model, b), f"add a row of {model._meta.label} to fill()"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_another_units_rows_are_out_of_reach(client, two_units, model, role):
    """On unit B's host: the list never shows A's rows, A's change/delete/history pages are 404 or
    403, a POST changes nothing, and the add form's pickers offer B's rows only."""
    a, b = two_units
    login(client, role, b)
    if role == "superuser" and model._meta.label_lower in staff.UNIT_ADMINISTRATION:
        # Units, their hosts and staff: a superuser administers them all from any host.
        response = client.get(url(model, "changelist"), HTTP_HOST=HOST_B)
        assert {row.pk for row in response.context["cl"].result_list} >= rows_of(model, a)
        return
    mine, theirs = rows_of(model, b), rows_of(model, a)

    response = client.get(url(model, "changelist"), HTTP_HOST=HOST_B)
    assert response.status_code in (200, 302, 403)
    if response.status_code == 200 and theirs is not None:
        shown = {row.pk for row in response.context["cl"].result_list}
        assert not shown & theirs, f"{model._meta.label} lists unit A's rows {shown & theirs}"
    if response.status_code == 302:  # a settings row opens its form: the unit's own
        assert response.url.rstrip("/").split("/")[-2] in {str(pk) for pk in mine}

    if theirs is None:
        return
    other = model._base_manager.get(pk=min(theirs))
    before = model_to_dict(other)
    for name in ("change", "delete", "history"):
        address = url(model, name, other.pk)
        assert client.get(address, HTTP_HOST=HOST_B).status_code in (403, 404), (name, address)
    posted = client.post(url(model, "change", other.pk), {**postable(before), "unit": b.pk}, HTTP_HOST=HOST_B)
    assert posted.status_code in (403, 404)
    deleted = client.post(url(model, "delete", other.pk), {"post": "yes"}, HTTP_HOST=HOST_B)
    assert deleted.status_code in (403, 404)
    other = model._base_manager.get(pk=other.pk)
    assert model_to_dict(other) == before

    add = url(model, "add")
    response = client.get(add, HTTP_HOST=HOST_B) if add else None
    if response is not None and response.status_code == 200:
        for field_name, field in response.context["adminform"].form.fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            target = field.queryset.model
            choices = set(field.queryset.values_list("pk", flat=True))
            if not staff.is_shared(target):
                assert not choices & rows_of(target, a), (field_name, "offers unit A's rows")
            elif target is get_user_model() and field_name not in getattr(
                admin.site._registry[model], "any_staff_fields", ()
            ):
                assert not set(field.queryset.values_list("username", flat=True)) & {"canboa"}, field_name


@pytest.mark.parametrize("role", ROLES)
def test_a_picker_of_people_lists_the_units_staff_only(client, two_units, role):
    """Feedback's "assigned to" offers B's staff, never A's."""
    from feedback.models import Feedback

    a, b = two_units
    login(client, role, b)
    with units.active(b):
        feedback = Feedback.objects.get()
    response = client.get(url(Feedback, "change", feedback.pk), HTTP_HOST=HOST_B)
    if response.status_code != 200 or "assignee" not in response.context["adminform"].form.fields:
        return
    people = set(response.context["adminform"].form.fields["assignee"].queryset.values_list("username", flat=True))
    assert "canbob" in people and "canboa" not in people


@pytest.mark.parametrize("role", STAFF_GROUPS)
def test_a_member_of_one_unit_cannot_enter_anothers_admin(client, two_units, role):
    """Staff of unit A only: B's admin sends them to the login, and logging in there is refused in Vietnamese."""
    a, b = two_units
    user = make_staff("chimotdonvi", role, unit=a)
    client.force_login(user)
    assert client.get("/" + settings.ADMIN_URL, HTTP_HOST=HOST_A).status_code == 200
    response = client.get("/" + settings.ADMIN_URL, HTTP_HOST=HOST_B)
    assert response.status_code == 302 and "/login/" in response.url
    for model in MODELS:
        response = client.get(url(model, "changelist"), HTTP_HOST=HOST_B)
        assert response.status_code == 302 and "/login/" in response.url, model
    client.logout()
    response = client.post(
        reverse("admin:login"), {"username": "chimotdonvi", "password": "pw-chimotdonvi"}, HTTP_HOST=HOST_B
    )
    assert response.status_code == 200
    assert "không làm việc ở đơn vị này" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_rights_follow_the_unit_being_served(client, two_units):
    """An approver in A and an editor in B publishes on A's host only; the workflow asks per unit."""
    from news import workflow

    a, b = two_units
    user = make_staff("haidonvi", APPROVERS, unit=a)
    UnitMembership.objects.create(user=user, unit=b).groups.add(Group.objects.get(name=EDITORS))
    with units.active(a):
        assert workflow.role_of(user) == workflow.APPROVER
    with units.active(b):
        assert workflow.role_of(user) == workflow.EDITOR
    client.force_login(user)
    with units.active(b):
        article = make_article("Bài chờ duyệt ở Kim Đông", status="pending")
    response = client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
        HTTP_HOST=HOST_B,
    )
    article.refresh_from_db()
    assert article.status == "pending"
    assert response.status_code in (200, 302)


def test_the_header_names_the_unit_and_links_to_the_users_other_units(client, two_units):
    a, b = two_units
    user = make_staff("haidonvi", EDITORS, unit=a)
    UnitMembership.objects.create(user=user, unit=b).groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    page = client.get("/" + settings.ADMIN_URL, HTTP_HOST=HOST_B).content.decode()
    assert "Đơn vị: <strong>Xã Kim Đông</strong>" in page
    assert f'href="http://{HOST_A}/{settings.ADMIN_URL}"' in page


def test_recent_actions_show_this_units_rows_only(client, two_units):
    """The index's "recent actions" leave out what the user did in another unit."""
    a, b = two_units
    user = make_staff("haidonvi", EDITORS, unit=a)
    UnitMembership.objects.create(user=user, unit=b).groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    for host, unit, title in ((HOST_A, a, "Tin riêng của Kim Sơn"), (HOST_B, b, "Tin riêng của Kim Đông")):
        with units.active(unit):
            category = make_category(f"Mục {title}")
        form = {
            "_transition": "save_draft",
            "title": title,
            "slug": "",
            "category": category.pk,
            "sapo": "Tóm tắt.",
            "body": "<p>Nội dung.</p>",
            "cover_caption": "",
            "author": "",
            "source": "",
        }
        saved = client.post(reverse("admin:news_article_add"), form, HTTP_HOST=host, follow=True)
        assert saved.redirect_chain
    page = client.get("/" + settings.ADMIN_URL, HTTP_HOST=HOST_B).content.decode()
    assert "Tin riêng của Kim Đông" in page and "Tin riêng của Kim Sơn" not in page


def test_recent_actions_show_deletions_in_this_unit_only(client, two_units):
    """A deleted row names no unit; the unit it belonged to is recorded when it is deleted, so the
    index's "recent actions" shows the deletion in that unit's admin only (one or many at once,
    rows under a parent too)."""
    from pages.models import Page
    from ratings.models import Rating

    a, b = two_units
    login(client, "superuser", b)
    for host, unit, title in ((HOST_A, a, "Trang xóa ở Kim Sơn"), (HOST_B, b, "Trang xóa ở Kim Đông")):
        with units.active(unit):
            page = Page.objects.create(title=title, body="<p>x</p>")
        response = client.post(url(Page, "delete", page.pk), {"post": "yes"}, HTTP_HOST=host, follow=True)
        assert response.redirect_chain  # followed, so its message is not on the index below
    with units.active(b):
        article = Rating.objects.filter(article__unit=b).first().article
        Rating.objects.create(article=article, visitor_id="khachB2", score=5)
        ratings = list(Rating.objects.filter(article__unit=b).values_list("pk", flat=True))
    assert len(ratings) == 2  # Django logs one deletion alone, several in one insert: both paths
    response = client.post(
        url(Rating, "changelist"),
        {"action": "delete_selected", "_selected_action": ratings, "post": "yes"},
        HTTP_HOST=HOST_B,
        follow=True,
    )
    assert response.redirect_chain and not Rating._base_manager.filter(pk__in=ratings).exists()
    index_b = client.get("/" + settings.ADMIN_URL, HTTP_HOST=HOST_B).content.decode()
    index_a = client.get("/" + settings.ADMIN_URL, HTTP_HOST=HOST_A).content.decode()
    assert "Trang xóa ở Kim Đông" in index_b and "Trang xóa ở Kim Sơn" not in index_b
    assert "Trang xóa ở Kim Sơn" in index_a and "Trang xóa ở Kim Đông" not in index_a
    assert index_b.count('class="deletelink"') == 3 and index_a.count('class="deletelink"') == 1


def test_the_counters_chart_shows_the_units_visits(client, two_units):
    a, b = two_units
    login(client, "superuser", b)
    response = client.get(reverse("admin:stats_dailyvisits_changelist"), HTTP_HOST=HOST_B)
    assert [visits for _, visits, _ in response.context["chart"]][-1] == 3


def test_a_new_object_belongs_to_the_unit_of_the_host(client, two_units):
    a, b = two_units
    login(client, "superuser", b)
    response = client.post(
        reverse("admin:pages_page_add"),
        {"title": "Giới thiệu xã", "slug": "gioi-thieu-xa", "body": "<p>Xã Kim Đông.</p>", "order": 0},
        HTTP_HOST=HOST_B,
    )
    assert response.status_code == 302
    from pages.models import Page

    assert Page.every_unit.get(slug="gioi-thieu-xa").unit_id == b.pk


def test_a_foreign_key_to_another_units_row_is_refused(client, two_units):
    """An article posted on B's host with A's category is a form error, not an article."""
    from news.models import Article, Category

    a, b = two_units
    login(client, "superuser", b)
    theirs = Category.every_unit.filter(unit=a).first()
    form = {"_transition": "save_draft", "title": "Bài lạc", "slug": "", "category": theirs.pk, "sapo": "Tóm tắt."}
    form.update(body="<p>Nội dung.</p>", cover_caption="", author="", source="")
    response = client.post(reverse("admin:news_article_add"), form, HTTP_HOST=HOST_B)
    assert response.status_code == 200 and "category" in response.context["adminform"].form.errors
    assert not Article.every_unit.filter(title="Bài lạc").exists()


SLUGGED = [
    ("news_category", {"name": "Văn hóa", "order": 0}),
    ("pages_page", {"title": "Trang", "body": "<p>x</p>", "order": 0}),
    ("services_procedure", {"name": "Thủ tục", "processing_time": "1 ngày", "requirements": "Tờ khai", "fee": "Không"}),
]


@pytest.mark.parametrize("name, data", SLUGGED, ids=[name for name, _ in SLUGGED])
def test_a_slug_taken_in_the_unit_is_a_form_error_and_free_in_another(client, two_units, name, data):
    """A duplicate slug in the unit is a Vietnamese error on the field (not a 500); another unit may use it."""
    from services.models import Sector

    a, b = two_units
    login(client, "superuser", b)
    data = {**data, "slug": "trung-ten", "sector": Sector.objects.get_or_create(name="Hộ tịch")[0].pk}
    data.update({"level": "full", "choices-TOTAL_FORMS": 0, "choices-INITIAL_FORMS": 0})
    add = reverse(f"admin:{name}_add")
    inline = {
        f"{prefix}-{key}": 0 for prefix in ("forms", "procedureform_set") for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    assert client.post(add, {**data, **inline}, HTTP_HOST=HOST_A).status_code == 302
    assert client.post(add, {**data, **inline}, HTTP_HOST=HOST_B).status_code == 302
    response = client.post(add, {**data, **inline}, HTTP_HOST=HOST_B)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "slug" in errors and "đã có trong đơn vị" in errors["slug"][0], errors


def test_uploads_go_to_the_units_folder(client, two_units):
    from tests.factories import image_upload

    a, b = two_units
    client.force_login(make_staff("bientapb", EDITORS, unit=b))
    response = client.post(reverse("portal:editor_upload"), {"upload": image_upload()}, HTTP_HOST=HOST_B)
    assert response.status_code == 200 and response.json()["url"].startswith("/media/kim-dong/uploads/")
    with units.active(b):
        article = make_article("Có ảnh", cover_image=image_upload("bia.jpg"))
    assert article.cover_image.name.startswith("kim-dong/covers/")


def test_history_and_recovery_list_only_the_units_articles(client, two_units):
    """django-reversion's pages: A's revisions and deleted articles are out of reach on B's host."""
    import reversion
    from reversion.models import Version

    from news.models import Article

    a, b = two_units
    login(client, "superuser", b)
    with units.active(a):
        article = Article.objects.get()
        with reversion.create_revision():
            article.save()
        version = Version.objects.get_for_object(article).first()
        gone = make_article("Bài A đã xoá")
        with reversion.create_revision():
            gone.save()
        gone_version = Version.objects.get_for_object(gone).first()
        gone.delete()
    revision = reverse("admin:news_article_revision", args=[article.pk, version.pk])
    assert client.get(revision, HTTP_HOST=HOST_B).status_code == 404
    assert client.get(revision, HTTP_HOST=HOST_A).status_code == 200
    recover = reverse("admin:news_article_recover", args=[gone_version.pk])
    assert client.get(recover, HTTP_HOST=HOST_B).status_code == 404
    assert client.get(recover, HTTP_HOST=HOST_A).status_code == 200
    listed = client.get(reverse("admin:news_article_recoverlist"), HTTP_HOST=HOST_B).content.decode()
    assert "Bài A đã xoá" not in listed
    assert "Bài A đã xoá" in client.get(reverse("admin:news_article_recoverlist"), HTTP_HOST=HOST_A).content.decode()


def test_the_recovery_list_is_filtered_in_the_database(client, two_units):
    """The list of deleted articles reads the unit's versions only: another unit's many deletions
    are neither loaded nor unpacked, and the list costs the same queries with 1 or 30 of them."""
    import reversion
    from django.db import connection
    from django.db.models.signals import post_init
    from django.test.utils import CaptureQueriesContext
    from reversion.models import Version

    a, b = two_units
    login(client, "superuser", b)

    def delete_some(unit, n, tag):
        with units.active(unit):
            for i in range(n):
                gone = make_article(f"{tag} đã xoá {i}")
                with reversion.create_revision():
                    gone.save()
                gone.delete()

    delete_some(b, 2, "Bài B")
    delete_some(a, 1, "Bài A")
    url = reverse("admin:news_article_recoverlist")
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance.pk)

    def listing():
        loaded.clear()
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, HTTP_HOST=HOST_B).content.decode()
        return html, len(queries), list(loaded)

    post_init.connect(count, sender=Version)
    try:
        html, few, read = listing()
        assert "Bài B đã xoá 0" in html and "Bài B đã xoá 1" in html and "Bài A" not in html
        delete_some(a, 29, "Bài A")
        html, many, read = listing()
    finally:
        post_init.disconnect(count, sender=Version)
    assert "Bài B đã xoá 1" in html and "Bài A" not in html
    assert many == few
    assert len(read) == 2, read  # B's two versions, none of A's thirty
    on_a = client.get(url, HTTP_HOST=HOST_A).content.decode()
    assert on_a.count("Bài A đã xoá") == 30 and "Bài B" not in on_a


def test_approvers_are_told_of_submissions_in_their_unit_only(client, two_units, mailoutbox=None):
    from django.core import mail

    from news import notify

    a, b = two_units
    approver_a = make_staff("duyeta", APPROVERS, unit=a)
    approver_b = make_staff("duyetb", APPROVERS, unit=b)
    for user in (approver_a, approver_b):
        user.email = f"{user.username}@kimson.local"
        user.save()
    assert list(notify.approvers(b.pk)) == [approver_b]
    assert mail.outbox == []


def test_second_factor_groups_count_in_any_unit(settings, two_units):
    from accounts.twofactor import needs_second_factor

    a, b = two_units
    settings.ADMIN_REQUIRE_2FA = True
    assert needs_second_factor(make_staff("duyetb", APPROVERS, unit=b))
    assert not needs_second_factor(make_staff("bientapb", EDITORS, unit=b))


@pytest.fixture
def province():
    """Ninh Bình with two communes, Kim Đông and Gia Viễn, and an administrator; Hà Nam with one."""
    ninhbinh = make_unit("Ninh Bình", "ninhbinh.localhost", kind="tinh")
    kimdong = make_unit("Kim Đông", HOST_B, parent=ninhbinh)
    giavien = make_unit("Gia Viễn", "giavien.localhost", parent=ninhbinh)
    hanam = make_unit("Hà Nam", "hanam.localhost", kind="tinh")
    duytien = make_unit("Duy Tiên", "duytien.localhost", parent=hanam)
    boss = make_staff("quantritinh", PROVINCE_ADMINS, unit=ninhbinh)
    for unit in (kimdong, giavien, duytien):
        make_staff(f"bientap-{unit.code}", EDITORS, unit=unit)
    return ninhbinh, kimdong, giavien, duytien, boss


def test_the_province_administrator_manages_its_communes_staff(client, province):
    ninhbinh, kimdong, giavien, duytien, boss = province
    client.force_login(boss)
    changelist = reverse("admin:portal_unitmembership_changelist")
    response = client.get(changelist, HTTP_HOST="ninhbinh.localhost")
    assert response.status_code == 200
    listed = {m.unit_id for m in response.context["cl"].result_list}
    assert listed == {ninhbinh.pk, kimdong.pk, giavien.pk}
    form = (
        client.get(reverse("admin:portal_unitmembership_add"), HTTP_HOST="ninhbinh.localhost").context["adminform"].form
    )
    assert set(form.fields["unit"].queryset) == {ninhbinh, kimdong, giavien}
    assert set(form.fields["groups"].queryset.values_list("name", flat=True)) == set(STAFF_GROUPS)
    # An account that works nowhere yet is placed; another province's staff are not offered.
    newcomer = get_user_model().objects.create_user("canbomoi", is_staff=True)
    duytien_staff = make_staff("canbo.duytien", unit=duytien)
    assert newcomer in form.fields["user"].queryset and duytien_staff not in form.fields["user"].queryset
    added = client.post(
        reverse("admin:portal_unitmembership_add"),
        {"user": newcomer.pk, "unit": giavien.pk, "groups": [Group.objects.get(name=EDITORS).pk]},
        HTTP_HOST="ninhbinh.localhost",
    )
    assert added.status_code == 302
    assert newcomer.unit_memberships.filter(unit=giavien, groups__name=EDITORS).exists()
    refused = client.post(
        reverse("admin:portal_unitmembership_add"),
        {"user": newcomer.pk, "unit": duytien.pk, "groups": [Group.objects.get(name=APPROVERS).pk]},
        HTTP_HOST="ninhbinh.localhost",
    )
    assert refused.status_code == 200 and "unit" in refused.context["adminform"].form.errors
    refused = client.post(
        reverse("admin:portal_unitmembership_add"),
        {"user": duytien_staff.pk, "unit": giavien.pk, "groups": [Group.objects.get(name=EDITORS).pk]},
        HTTP_HOST="ninhbinh.localhost",
    )
    assert refused.status_code == 200 and "user" in refused.context["adminform"].form.errors
    assert not duytien_staff.unit_memberships.filter(unit=giavien).exists()
    # In a commune of the province, the administrator manages that commune's staff.
    response = client.get(changelist, HTTP_HOST=HOST_B)
    assert response.status_code == 200
    assert {m.unit_id for m in response.context["cl"].result_list} == {kimdong.pk}
    assert client.get(changelist, HTTP_HOST="duytien.localhost").status_code == 302


def test_commune_staff_do_not_see_the_staff_list(client, province):
    ninhbinh, kimdong, giavien, duytien, boss = province
    client.force_login(get_user("bientap-kim-dong"))
    response = client.get(reverse("admin:portal_unitmembership_changelist"), HTTP_HOST=HOST_B)
    assert response.status_code == 403


def get_user(username):
    return get_user_model().objects.get(username=username)


def test_existing_staff_become_members_of_the_first_unit():
    """The data migration's step: a staff member's groups become their groups in the first unit."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("portal.migrations.0006_staff_in_units")
    user = get_user_model().objects.create_user("cu", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    migration.memberships_from_groups(apps)
    membership = UnitMembership.objects.get(user=user)
    assert membership.unit == first_unit() and list(membership.groups.values_list("name", flat=True)) == [EDITORS]
    assert set(Group.objects.get(name=PROVINCE_ADMINS).permissions.values_list("codename", flat=True)) >= {
        "view_unitmembership",
        "add_unitmembership",
    }
