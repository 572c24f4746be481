"""A province's administrator makes and edits the accounts of its staff, and nothing beyond them
(portal.admin.StaffUserAdmin, portal.staff.accounts_administered): docs/units.md "Staff per unit"."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse, reverse_lazy

from news.models import Article
from portal import units
from portal.groups import APPROVERS, CLERKS, EDITORS, PROVINCE_ADMINS, STAFF_GROUPS
from portal.models import UnitMembership
from tests.factories import make_category, make_staff, make_unit

pytestmark = pytest.mark.django_db

PROVINCE, KIMDONG, GIAVIEN, OTHER = "ninhbinh.localhost", "kimdong.localhost", "giavien.localhost", "hanam.localhost"
PASSWORD = "Xuan-Hoa@2026"
User = get_user_model()


@pytest.fixture
def province(settings):
    """Ninh Bình (communes Kim Đông and Gia Viễn) with its administrator; Hà Nam (commune Duy Tiên)."""
    settings.ADMIN_REQUIRE_2FA = False
    ninhbinh = make_unit("Ninh Bình", PROVINCE, kind="tinh")
    kimdong = make_unit("Kim Đông", KIMDONG, parent=ninhbinh)
    giavien = make_unit("Gia Viễn", GIAVIEN, parent=ninhbinh)
    hanam = make_unit("Hà Nam", OTHER, kind="tinh")
    duytien = make_unit("Duy Tiên", "duytien.localhost", parent=hanam)
    boss = make_staff("quantritinh", PROVINCE_ADMINS, unit=ninhbinh)
    return {
        "ninhbinh": ninhbinh,
        "kimdong": kimdong,
        "giavien": giavien,
        "hanam": hanam,
        "duytien": duytien,
        "boss": boss,
    }


def group_ids(*names):
    return [Group.objects.get(name=name).pk for name in names]


def add_form(username="canbo.kimdong", memberships=(), password=PASSWORD, **extra):
    """The add page's POST: the account and its memberships [(unit, [group names])]."""
    data = {
        "username": username,
        "usable_password": "true",
        "password1": password,
        "password2": password,
        "first_name": "Hoa",
        "last_name": "Nguyễn Thị",
        "email": f"{username}@kimdong.gov.vn",
        **inline(memberships),
    }
    data.update(extra)
    return data


def inline(memberships, initial=()):
    """The memberships inline's fields: `initial` are existing rows [(membership, [group names])]."""
    rows = [*initial, *memberships]
    data = {
        "unit_memberships-TOTAL_FORMS": str(len(rows)),
        "unit_memberships-INITIAL_FORMS": str(len(initial)),
        "unit_memberships-MIN_NUM_FORMS": "0",
        "unit_memberships-MAX_NUM_FORMS": "1000",
    }
    for index, (where, names) in enumerate(rows):
        if isinstance(where, UnitMembership):
            data[f"unit_memberships-{index}-id"] = str(where.pk)
            data[f"unit_memberships-{index}-user"] = str(where.user_id)
            where = where.unit
        data[f"unit_memberships-{index}-unit"] = str(where.pk)
        data[f"unit_memberships-{index}-groups"] = group_ids(*names)
    return data


def change_form(user, memberships=(), **extra):
    """The change page's POST for `user` as it is, with `extra` fields and new `memberships`."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        **({"is_active": "on"} if user.is_active else {}),
        **inline(memberships, initial=[(m, list(m.groups.values_list("name", flat=True))) for m in mine(user)]),
    }
    data.update(extra)
    return data


def mine(user):
    return list(user.unit_memberships.order_by("pk"))


def snapshot(user):
    """Everything about an account a tampered POST must leave as it was."""
    user = User.objects.get(pk=user.pk)
    return (
        user.username,
        user.first_name,
        user.email,
        user.password,
        user.is_active,
        user.is_staff,
        user.is_superuser,
        set(user.groups.values_list("name", flat=True)),
        set(user.user_permissions.values_list("codename", flat=True)),
        {(m.unit_id, name) for m in user.unit_memberships.all() for name in m.groups.values_list("name", flat=True)},
    )


def users_url(name="changelist", *args):
    return reverse(f"admin:auth_user_{'password_change' if name == 'password' else name}", args=args)


def test_the_province_administrator_makes_a_commune_editor_who_publishes_in_that_commune_only(client, province):
    kimdong, giavien = province["kimdong"], province["giavien"]
    client.force_login(province["boss"])
    page = client.get(users_url("add"), HTTP_HOST=PROVINCE)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"is_superuser", "is_staff", "groups", "user_permissions"} & set(form.fields)
    membership_form = page.context["inline_admin_formsets"][0].formset.forms[0]
    assert set(membership_form.fields["unit"].queryset) == {province["ninhbinh"], kimdong, giavien}
    assert set(membership_form.fields["groups"].queryset.values_list("name", flat=True)) == set(STAFF_GROUPS)

    response = client.post(
        users_url("add"),
        add_form("bientap.kimdong", [(kimdong, [EDITORS, APPROVERS])]),
        HTTP_HOST=PROVINCE,
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    editor = User.objects.get(username="bientap.kimdong")
    assert editor.is_staff and editor.is_active and not editor.is_superuser
    assert (editor.first_name, editor.email) == ("Hoa", "bientap.kimdong@kimdong.gov.vn")
    assert not editor.groups.exists() and not editor.user_permissions.exists()
    assert snapshot(editor)[-1] == {(kimdong.pk, EDITORS), (kimdong.pk, APPROVERS)}

    # The new editor logs in with the password given and publishes in Kim Đông ...
    newcomer = client.__class__()
    login = newcomer.post(
        reverse("admin:login"),
        {"username": "bientap.kimdong", "password": PASSWORD, "next": reverse("admin:index")},
        HTTP_HOST=KIMDONG,
    )
    assert login.status_code == 302 and "_auth_user_id" in newcomer.session
    with units.active(kimdong):
        category = make_category("Tin tức xã")
    published = newcomer.post(
        reverse("admin:news_article_add"),
        {
            "_transition": "publish",
            "title": "Xã Kim Đông ra quân làm thủy lợi",
            "slug": "",
            "category": category.pk,
            "sapo": "Tóm tắt.",
            "body": "<p>Nội dung.</p>",
            "cover_caption": "",
            "author": "",
            "source": "",
        },
        HTTP_HOST=KIMDONG,
    )
    assert published.status_code == 302
    article = Article.every_unit.get(title="Xã Kim Đông ra quân làm thủy lợi")
    assert article.unit_id == kimdong.pk and article.status == Article.Status.PUBLISHED
    # ... and nowhere else: Gia Viễn's and the province's admin send the editor to the login.
    for host in (GIAVIEN, PROVINCE):
        response = newcomer.get(reverse("admin:news_article_add"), HTTP_HOST=host)
        assert response.status_code == 302 and "/login/" in response.url, host
    from news import workflow

    with units.active(giavien):
        assert workflow.role_of(editor) is None


def test_a_weak_password_is_refused_in_vietnamese_and_makes_no_account(client, province):
    client.force_login(province["boss"])
    response = client.post(
        users_url("add"), add_form("yeu", [(province["kimdong"], [EDITORS])], password="1234"), HTTP_HOST=PROVINCE
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Mật khẩu này quá ngắn" in text and "Mật khẩu này hoàn toàn là số" in text
    assert not User.objects.filter(username="yeu").exists()


def test_a_new_account_needs_a_unit_to_work_in(client, province):
    """A province administrator's new account works somewhere in the province, or it is not made."""
    client.force_login(province["boss"])
    response = client.post(users_url("add"), add_form("khongdonvi"), HTTP_HOST=PROVINCE)
    assert response.status_code == 200
    assert "Hãy chọn ít nhất một đơn vị" in response.content.decode()
    assert not User.objects.filter(username="khongdonvi").exists()


@pytest.mark.parametrize(
    "tampered",
    [
        {"is_superuser": "on"},
        {"is_staff": "on"},
        {"groups": "__province_admins__"},
        {"user_permissions": "__change_user__"},
    ],
    ids=["is_superuser", "is_staff", "own-groups", "user-permissions"],
)
def test_a_post_naming_rights_beyond_the_staff_groups_is_refused(client, province, tampered):
    """The add and change pages refuse (403) a POST that names superuser, staff, own groups or rights."""
    values = {
        name: (
            Group.objects.get(name=PROVINCE_ADMINS).pk
            if value == "__province_admins__"
            else Permission.objects.get(codename="change_user").pk
            if value == "__change_user__"
            else value
        )
        for name, value in tampered.items()
    }
    client.force_login(province["boss"])
    kimdong = province["kimdong"]
    added = client.post(users_url("add"), add_form("leoquyen", [(kimdong, [EDITORS])], **values), HTTP_HOST=PROVINCE)
    assert added.status_code == 403
    assert not User.objects.filter(username="leoquyen").exists()
    editor = make_staff("bientap", EDITORS, unit=kimdong)
    before = snapshot(editor)
    changed = client.post(users_url("change", editor.pk), change_form(editor, **values), HTTP_HOST=PROVINCE)
    assert changed.status_code == 403
    assert snapshot(editor) == before


def membership_in(unit_key, group=EDITORS):
    return lambda p: [(p[unit_key], [group])]


@pytest.mark.parametrize(
    "memberships, field",
    [
        (membership_in("duytien"), "unit"),  # a commune of another province
        (membership_in("hanam"), "unit"),  # another province
        (membership_in("ninhbinh", PROVINCE_ADMINS), "groups"),  # only superusers make province administrators
        (membership_in("kimdong", "Nhóm khác"), "groups"),  # a group that is not a staff group
    ],
    ids=["other-province-commune", "other-province", "province-admins", "other-group"],
)
def test_a_membership_beyond_the_province_or_the_staff_groups_is_a_form_error(client, province, memberships, field):
    Group.objects.get_or_create(name="Nhóm khác")
    client.force_login(province["boss"])
    response = client.post(users_url("add"), add_form("vuotquyen", memberships(province)), HTTP_HOST=PROVINCE)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert field in formset.forms[0].errors
    assert "Hãy chọn một lựa chọn hợp lệ" in str(formset.forms[0].errors[field])
    assert not User.objects.filter(username="vuotquyen").exists()
    # The same on an account the administrator does edit: nothing changes.
    editor = make_staff("bientap", EDITORS, unit=province["kimdong"])
    before = snapshot(editor)
    response = client.post(
        users_url("change", editor.pk), change_form(editor, memberships(province)), HTTP_HOST=PROVINCE
    )
    assert response.status_code == 200
    assert snapshot(editor) == before


def out_of_reach(p):
    """Accounts the province's administrator must not open, by name."""
    kimdong, duytien = p["kimdong"], p["duytien"]
    both = make_staff("haitinh", EDITORS, unit=kimdong)
    UnitMembership.objects.create(user=both, unit=duytien).groups.add(Group.objects.get(name=EDITORS))
    own_rights = make_staff("vanthu", CLERKS, unit=kimdong)
    own_rights.groups.add(Group.objects.get(name=CLERKS))  # changes the lists every unit shares
    # A superuser gave a group beyond the staff groups in Kim Đông: taking the account over by its
    # password would give its rights there.
    other_group = make_staff("truongban", EDITORS, unit=kimdong)
    other_group.unit_memberships.get().groups.add(beyond_staff_group())
    return {
        "superuser": make_staff("admin", superuser=True),
        "superuser-member": make_staff("admin2", EDITORS, superuser=True, unit=kimdong),
        "other-province": make_staff("bientap.duytien", EDITORS, unit=duytien),
        "both-provinces": both,
        "own-rights": own_rights,
        "other-group": other_group,
        "peer": make_staff("quantritinh2", PROVINCE_ADMINS, unit=p["ninhbinh"]),
        "self": p["boss"],
    }


def beyond_staff_group():
    """A group a superuser made, with rights in a unit no staff group gives."""
    group, _ = Group.objects.get_or_create(name="Nhóm khác")
    group.permissions.add(*Permission.objects.filter(codename__in=["delete_article", "change_sitesettings"]))
    return group


OUT_OF_REACH = [
    "superuser",
    "superuser-member",
    "other-province",
    "both-provinces",
    "own-rights",
    "other-group",
    "peer",
    "self",
]


@pytest.mark.parametrize("who", OUT_OF_REACH)
def test_accounts_beyond_the_province_are_404_by_address_and_a_post_changes_nothing(client, province, who):
    target = out_of_reach(province)[who]
    before = snapshot(target)
    client.force_login(province["boss"])
    for name in ("change", "history", "password"):
        assert client.get(users_url(name, target.pk), HTTP_HOST=PROVINCE).status_code == 404, name
    posted = client.post(users_url("change", target.pk), change_form(target, first_name="Bị đổi"), HTTP_HOST=PROVINCE)
    assert posted.status_code == 404
    password = client.post(
        users_url("password", target.pk), {"password1": PASSWORD, "password2": PASSWORD}, HTTP_HOST=PROVINCE
    )
    assert password.status_code == 404
    assert client.post(users_url("delete", target.pk), {"post": "yes"}, HTTP_HOST=PROVINCE).status_code in (403, 404)
    assert snapshot(target) == before


def test_the_user_list_shows_the_provinces_staff_only(client, province):
    p = province
    out_of_reach(p)
    make_staff("bientap.kimdong", EDITORS, unit=p["kimdong"])
    make_staff("duyet.giavien", APPROVERS, unit=p["giavien"])
    make_staff("vanphong.tinh", CLERKS, unit=p["ninhbinh"])
    both = make_staff("hai.xa", EDITORS, unit=p["kimdong"])
    UnitMembership.objects.create(user=both, unit=p["giavien"]).groups.add(Group.objects.get(name=EDITORS))
    client.force_login(p["boss"])

    def listed(host, query=""):
        response = client.get(users_url() + query, HTTP_HOST=host)
        assert response.status_code == 200
        return {user.username for user in response.context["cl"].result_list}

    assert listed(PROVINCE) == {"bientap.kimdong", "duyet.giavien", "vanphong.tinh", "hai.xa"}
    # Filters on superusers or staff are not offered, and naming them shows no one beyond the list.
    assert listed(PROVINCE, "?is_superuser__exact=1") <= {"bientap.kimdong", "duyet.giavien", "vanphong.tinh", "hai.xa"}
    # In a commune's admin, that commune's staff.
    assert listed(KIMDONG) == {"bientap.kimdong", "hai.xa"}
    assert client.get(users_url(), HTTP_HOST=OTHER).status_code == 302  # not Hà Nam's admin


def test_the_administrator_edits_a_communes_editor(client, province):
    kimdong, giavien = province["kimdong"], province["giavien"]
    editor = make_staff("bientap", EDITORS, unit=kimdong)
    client.force_login(province["boss"])
    page = client.get(users_url("change", editor.pk), HTTP_HOST=PROVINCE)
    assert page.status_code == 200
    assert not {"is_superuser", "is_staff", "groups", "user_permissions"} & set(page.context["adminform"].form.fields)
    response = client.post(
        users_url("change", editor.pk),
        change_form(editor, [(giavien, [APPROVERS])], first_name="Lan", email="lan@giavien.gov.vn"),
        HTTP_HOST=PROVINCE,
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert (editor.first_name, editor.email, editor.is_staff) == ("Lan", "lan@giavien.gov.vn", True)
    assert snapshot(editor)[-1] == {(kimdong.pk, EDITORS), (giavien.pk, APPROVERS)}
    # A new password, checked by the password validators (in Vietnamese), then accepted.
    weak = client.post(
        users_url("password", editor.pk), {"password1": "bientap", "password2": "bientap"}, HTTP_HOST=PROVINCE
    )
    assert weak.status_code == 200 and "Mật khẩu" in weak.content.decode()
    assert "quá giống" in weak.content.decode() or "quá ngắn" in weak.content.decode()
    strong = client.post(
        users_url("password", editor.pk),
        {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
        HTTP_HOST=PROVINCE,
    )
    assert strong.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
    # Switched off: the account no longer logs in.
    data = change_form(editor)
    del data["is_active"]
    assert client.post(users_url("change", editor.pk), data, HTTP_HOST=PROVINCE).status_code == 302
    editor.refresh_from_db()
    assert not editor.is_active


def test_a_membership_of_another_account_cannot_be_posted_into_the_form(client, province):
    """The inline's rows are the account's memberships in the administrator's units: another
    account's membership (in this province or another) named by its id changes nothing."""
    kimdong = province["kimdong"]
    editor = make_staff("bientap", EDITORS, unit=kimdong)
    elsewhere = make_staff("bientap.duytien", EDITORS, unit=province["duytien"])
    neighbour = make_staff("bientap.giavien", EDITORS, unit=province["giavien"])
    client.force_login(province["boss"])
    for other in (elsewhere, neighbour):
        before = (snapshot(editor), snapshot(other))
        data = change_form(editor)
        stolen = other.unit_memberships.get()
        data.update(
            {
                "unit_memberships-TOTAL_FORMS": "2",
                "unit_memberships-INITIAL_FORMS": "2",
                "unit_memberships-1-id": str(stolen.pk),
                "unit_memberships-1-user": str(editor.pk),
                "unit_memberships-1-unit": str(kimdong.pk),
                "unit_memberships-1-groups": group_ids(APPROVERS),
            }
        )
        response = client.post(users_url("change", editor.pk), data, HTTP_HOST=PROVINCE)
        assert response.status_code in (200, 400, 404)
        assert (snapshot(editor), snapshot(other)) == before


def test_commune_staff_see_no_user_admin(client, province):
    editor = make_staff("bientap", [EDITORS, APPROVERS], unit=province["kimdong"])
    other = make_staff("bientap2", EDITORS, unit=province["kimdong"])
    client.force_login(editor)
    index = client.get("/" + settings.ADMIN_URL, HTTP_HOST=KIMDONG)
    assert index.status_code == 200
    assert users_url() not in index.content.decode()
    for address in (users_url(), users_url("add"), users_url("change", other.pk), users_url("password", other.pk)):
        assert client.get(address, HTTP_HOST=KIMDONG).status_code == 403, address
    before = snapshot(other)
    assert (
        client.post(users_url("change", other.pk), change_form(other, first_name="X"), HTTP_HOST=KIMDONG).status_code
        == 403
    )
    assert (
        client.post(
            users_url("add"), add_form("moi", [(province["kimdong"], [EDITORS])]), HTTP_HOST=KIMDONG
        ).status_code
        == 403
    )
    assert snapshot(other) == before and not User.objects.filter(username="moi").exists()


def test_the_province_administrator_finds_accounts_on_the_index(client, province):
    client.force_login(province["boss"])
    index = client.get("/" + settings.ADMIN_URL, HTTP_HOST=PROVINCE).content.decode()
    assert users_url() in index and users_url("add") in index


def test_a_superuser_gives_memberships_and_the_staff_flag_follows(client, province):
    client.force_login(make_staff("admin", superuser=True))
    response = client.post(
        users_url("add"), add_form("canbo.moi", [(province["giavien"], [EDITORS])]), HTTP_HOST=PROVINCE
    )
    assert response.status_code == 302
    user = User.objects.get(username="canbo.moi")
    assert user.is_staff and not user.is_superuser
    plain = User.objects.create_user("chuadonvi", password=PASSWORD)
    response = client.post(
        users_url("change", plain.pk),
        {
            **change_form(plain, [(province["kimdong"], [EDITORS])]),
            "date_joined_0": "01/01/2026",
            "date_joined_1": "08:00",
        },
        HTTP_HOST=PROVINCE,
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    plain.refresh_from_db()
    assert plain.is_staff


def test_a_peers_membership_stays_out_of_the_administrators_hands(client, province):
    """In Cán bộ của đơn vị the administrator sees another administrator's membership but cannot
    change or delete it (only superusers make and unmake province administrators)."""
    peer = make_staff("quantritinh2", PROVINCE_ADMINS, unit=province["ninhbinh"])
    membership = peer.unit_memberships.get()
    client.force_login(province["boss"])
    change = reverse("admin:portal_unitmembership_change", args=[membership.pk])
    posted = client.post(
        change, {"user": peer.pk, "unit": province["ninhbinh"].pk, "groups": group_ids(EDITORS)}, HTTP_HOST=PROVINCE
    )
    assert posted.status_code == 403
    deleted = client.post(
        reverse("admin:portal_unitmembership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
        HTTP_HOST=PROVINCE,
    )
    assert deleted.status_code == 403
    delete = reverse("admin:portal_unitmembership_delete", args=[membership.pk])
    assert client.post(delete, {"post": "yes"}, HTTP_HOST=PROVINCE).status_code == 403
    assert snapshot(peer)[-1] == {(province["ninhbinh"].pk, PROVINCE_ADMINS)}


def test_editing_a_membership_keeps_the_groups_the_editor_cannot_give(client, province):
    """A superuser gave "Nhóm khác" in Kim Đông; the province's administrator adding a group there keeps it."""
    other, _ = Group.objects.get_or_create(name="Nhóm khác")
    editor = make_staff("bientap", EDITORS, unit=province["kimdong"])
    membership = editor.unit_memberships.get()
    membership.groups.add(other)
    client.force_login(province["boss"])
    response = client.post(
        reverse("admin:portal_unitmembership_change", args=[membership.pk]),
        {"user": editor.pk, "unit": province["kimdong"].pk, "groups": group_ids(EDITORS, APPROVERS)},
        HTTP_HOST=PROVINCE,
    )
    assert response.status_code == 302
    assert set(membership.groups.values_list("name", flat=True)) == {EDITORS, APPROVERS, "Nhóm khác"}


def test_the_administrators_account_pages_are_vietnamese(client, province):
    """The list, add, change and password pages a province's administrator opens, a refused
    password included: no English word from the admin walk's list."""
    from tests.test_admin_walk import ENGLISH_RE, visible_text

    editor = make_staff("bientap", EDITORS, unit=province["kimdong"])
    membership = editor.unit_memberships.get()
    client.force_login(province["boss"])
    weak = client.post(users_url("password", editor.pk), {"password1": "123", "password2": "1234"}, HTTP_HOST=PROVINCE)
    addresses = [users_url(), users_url("add"), users_url("change", editor.pk), users_url("password", editor.pk)]
    addresses += [MEMBERSHIPS, MEMBERSHIP_ADD, membership_change(membership)]
    pages = [client.get(url, HTTP_HOST=PROVINCE) for url in addresses]
    for response in [*pages, weak]:
        assert response.status_code == 200
        text = visible_text(response.content.decode())
        assert not ENGLISH_RE.findall(text), (response.wsgi_request.path, ENGLISH_RE.findall(text))
        # Django's password-login switch speaks of single sign-on and LDAP (this portal has
        # neither) and warns in English; the password's hash is no business of an office's.
        for phrase in ("If disabled", "SSO", "LDAP", "pbkdf2", "salt"):
            assert phrase not in text, (response.wsgi_request.path, phrase)


def test_a_right_on_users_on_ones_own_page_opens_no_account(client, province):
    """Only superusers and a province's administrators manage accounts: "change user" given on an
    editor's own page opens none (it would reach superusers)."""
    editor = make_staff("bientap", EDITORS, unit=province["kimdong"])
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user", "add_user"]))
    admin_account = make_staff("admin", superuser=True)
    client.force_login(editor)
    for address in (users_url(), users_url("add"), users_url("change", admin_account.pk)):
        assert client.get(address, HTTP_HOST=KIMDONG).status_code == 403, address


MEMBERSHIPS = reverse_lazy("admin:portal_unitmembership_changelist")
MEMBERSHIP_ADD = reverse_lazy("admin:portal_unitmembership_add")


def membership_change(membership):
    return reverse("admin:portal_unitmembership_change", args=[membership.pk])


def test_the_staff_list_offers_the_administrators_accounts_and_accounts_working_nowhere(client, province):
    """Cán bộ của đơn vị → Thêm: the people offered are the accounts the administrator edits (the
    province's staff, on a commune's host too) and active staff accounts with no membership and no
    rights at all, which work nowhere yet; no account beyond those is named on the page."""
    p = province
    hidden = out_of_reach(p)
    kimdong_editor = make_staff("bientap.kimdong", EDITORS, unit=p["kimdong"])
    giavien_editor = make_staff("bientap.giavien", EDITORS, unit=p["giavien"])
    nowhere = User.objects.create_user("chuadonvi", password=PASSWORD, is_staff=True)
    switched_off = User.objects.create_user("danghi", password=PASSWORD, is_staff=True, is_active=False)
    nowhere_with_rights = User.objects.create_user("vanthu.cu", password=PASSWORD, is_staff=True)
    nowhere_with_rights.groups.add(Group.objects.get(name=CLERKS))
    client.force_login(p["boss"])
    for host in (PROVINCE, KIMDONG):
        page = client.get(MEMBERSHIP_ADD, HTTP_HOST=host)
        assert page.status_code == 200
        offered = set(page.context["adminform"].form.fields["user"].queryset)
        assert offered == {kimdong_editor, giavien_editor, nowhere}, host
        shown = {
            option.split(">", 1)[1] for option in re.findall(r"<option value=\"\d+\"[^>]*>[^<]*", page.content.decode())
        }
        for name in [*hidden, "danghi", "vanthu.cu"]:
            username = hidden[name].username if name in hidden else name
            assert username not in shown, (host, username)
    assert switched_off not in offered and nowhere_with_rights not in offered


@pytest.mark.parametrize("who", OUT_OF_REACH)
def test_a_membership_for_an_account_out_of_reach_is_a_form_error(client, province, who):
    """Posting such an account's id into Cán bộ của đơn vị gives it nothing (a Hà Nam editor would
    work in Kim Đông, a peer or the administrator would give themselves a commune's work)."""
    target = out_of_reach(province)[who]
    before = snapshot(target)
    client.force_login(province["boss"])
    response = client.post(
        MEMBERSHIP_ADD,
        {"user": target.pk, "unit": province["giavien"].pk, "groups": group_ids(EDITORS, APPROVERS)},
        HTTP_HOST=PROVINCE,
    )
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in str(response.context["adminform"].form.errors["user"])
    assert snapshot(target) == before


def test_a_membership_stays_its_accounts(client, province):
    """An existing membership's account is shown, not changed: posting another account's id (which
    would hand that account the membership's groups, those the form does not show included)
    changes nothing."""
    p = province
    editor = make_staff("bientap", EDITORS, unit=p["kimdong"])
    membership = editor.unit_memberships.get()
    membership.groups.add(beyond_staff_group())
    mine_now = make_staff("canbo.moi", EDITORS, unit=p["giavien"])  # an account the administrator edits
    client.force_login(p["boss"])
    page = client.get(membership_change(membership), HTTP_HOST=PROVINCE)
    assert page.status_code == 200 and "user" not in page.context["adminform"].form.fields
    before = snapshot(mine_now)
    response = client.post(
        membership_change(membership),
        {"user": mine_now.pk, "unit": p["kimdong"].pk, "groups": group_ids(EDITORS, APPROVERS)},
        HTTP_HOST=PROVINCE,
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.user_id == editor.pk
    assert set(membership.groups.values_list("name", flat=True)) == {EDITORS, APPROVERS, "Nhóm khác"}
    assert snapshot(mine_now) == before


def test_a_membership_moved_to_another_unit_keeps_only_the_groups_shown(client, province):
    """A group a superuser gave in Kim Đông stays there: the administrator moving the membership
    to the province does not take it along (only the groups the form shows move)."""
    p = province
    editor = make_staff("bientap", EDITORS, unit=p["kimdong"])
    membership = editor.unit_memberships.get()
    membership.groups.add(beyond_staff_group())
    client.force_login(p["boss"])
    response = client.post(
        membership_change(membership), {"unit": p["ninhbinh"].pk, "groups": group_ids(EDITORS)}, HTTP_HOST=PROVINCE
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.unit_id == p["ninhbinh"].pk
    assert set(membership.groups.values_list("name", flat=True)) == {EDITORS}


def test_the_same_unit_twice_on_an_accounts_page_is_a_vietnamese_error(client, province):
    p = province
    editor = make_staff("bientap", EDITORS, unit=p["kimdong"])
    client.force_login(p["boss"])
    before = snapshot(editor)
    response = client.post(
        users_url("change", editor.pk), change_form(editor, [(p["kimdong"], [APPROVERS])]), HTTP_HOST=PROVINCE
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Xã Kim Đông" in str(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert "cho unit" not in text and "đơn vị chỉ có một dòng" in text.lower()
    assert snapshot(editor) == before


def test_names_read_family_name_first(client, province):
    """Vietnamese names: the forms ask for Họ (family and middle names) before Tên, with examples,
    and the lists show "Nguyễn Thị Hoa", not Django's "Hoa Nguyễn Thị"."""
    editor = make_staff("bientap", EDITORS, unit=province["kimdong"])
    User.objects.filter(pk=editor.pk).update(first_name="Hoa", last_name="Nguyễn Thị")
    client.force_login(province["boss"])
    for url in (users_url("add"), users_url("change", editor.pk)):
        html = client.get(url, HTTP_HOST=PROVINCE).content.decode()
        assert 0 < html.index('id="id_last_name"') < html.index('id="id_first_name"'), url
        assert "Ví dụ: Nguyễn Thị" in html and "Ví dụ: Hoa" in html, url
    for url in (users_url(), MEMBERSHIPS):
        assert "Nguyễn Thị Hoa" in client.get(url, HTTP_HOST=PROVINCE).content.decode(), url


def test_the_account_pages_say_what_each_choice_does(client, province):
    """An office's administrator reads on the pages what they need: each group's work, who may be
    chosen as staff, what "Đang hoạt động" does, that a password is set (not its hash), and an
    account's page or a membership's starts with the person."""
    from tests.test_admin_walk import visible_text

    editor = make_staff("bientap", EDITORS, unit=province["kimdong"])
    membership = editor.unit_memberships.get()
    client.force_login(province["boss"])
    add = visible_text(client.get(users_url("add"), HTTP_HOST=PROVINCE).content.decode())
    assert "Biên tập viên — viết bài, gửi duyệt" in add and "Duyệt bài — duyệt, đăng" in add
    assert "Đăng nhập bằng mật khẩu" not in add  # every account logs in with its password
    change = client.get(users_url("change", editor.pk), HTTP_HOST=PROVINCE)
    text = visible_text(change.content.decode())
    assert "Đang hoạt động" in text and "không đăng nhập được" in text and "Kích hoạt" not in text
    assert "Đã đặt mật khẩu" in text
    listed = visible_text(client.get(users_url(), HTTP_HOST=PROVINCE).content.decode())
    assert "Kích hoạt" not in listed and "Đang hoạt động" in listed
    staff_add = visible_text(client.get(MEMBERSHIP_ADD, HTTP_HOST=PROVINCE).content.decode())
    assert "chưa làm việc ở đơn vị nào" in staff_add and "Văn thư — văn bản" in staff_add
    html = client.get(membership_change(membership), HTTP_HOST=PROVINCE).content.decode()
    assert html.index("field-user") < html.index("field-unit") < html.index("field-groups")
    make_staff("chuanhom", unit=province["giavien"])  # a membership with no group yet
    listed = visible_text(client.get(MEMBERSHIPS, HTTP_HOST=PROVINCE).content.decode())
    assert "Chưa có nhóm" in listed


def test_a_password_page_without_the_login_switch_still_needs_the_password(client, province):
    """Every account logs in with its password: the password page has no switch turning it off (nor
    its button), and a new password is asked for."""
    editor = make_staff("bientap", EDITORS, unit=province["kimdong"])
    before = snapshot(editor)
    client.force_login(province["boss"])
    page = client.get(users_url("password", editor.pk), HTTP_HOST=PROVINCE).content.decode()
    assert "unset-password" not in page and "Tắt đăng nhập bằng mật khẩu" not in page
    assert "Đăng nhập bằng mật khẩu" not in page and "Đổi mật khẩu" in page
    for data in ({"password1": "", "password2": ""}, {"usable_password": "false"}):
        response = client.post(users_url("password", editor.pk), data, HTTP_HOST=PROVINCE)
        assert response.status_code == 200 and "Trường này là bắt buộc" in response.content.decode()
    assert snapshot(editor) == before
    client.post(
        users_url("add"), add_form("matkhau", [(province["kimdong"], [EDITORS])], password=""), HTTP_HOST=PROVINCE
    )
    assert not User.objects.filter(username="matkhau").exists()


def devices_of(user):
    from accounts.models import StaffDevice

    return set(StaffDevice.objects.filter(user=user).values_list("pk", flat=True))


def with_devices(user):
    """An account whose authenticator app is set up, and a second one half set up."""
    from accounts.models import StaffDevice

    StaffDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    StaffDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    return user


RESET = "Đặt lại xác thực hai bước"


def test_the_administrator_resets_a_commune_editors_second_factor(client, province):
    """The editor lost their phone: from the account's page, after a confirmation, its devices go,
    the admin log says so, and at the next login the editor sets up a new app."""
    from django.contrib.admin.models import CHANGE, LogEntry

    editor = with_devices(make_staff("duyet.kimdong", APPROVERS, unit=province["kimdong"]))
    other = with_devices(make_staff("duyet.giavien", APPROVERS, unit=province["giavien"]))
    client.force_login(province["boss"])
    page = client.get(users_url("change", editor.pk), HTTP_HOST=PROVINCE).content.decode()
    address = users_url("reset_second_factor", editor.pk)
    assert f'href="{address}"' in page and RESET in page
    confirm = client.get(address, HTTP_HOST=PROVINCE)
    assert confirm.status_code == 200 and devices_of(editor)  # asking changes nothing
    text = confirm.content.decode()
    assert "duyet.kimdong" in text and "Điện thoại" in text and 'method="post"' in text
    done = client.post(address, {"post": "yes"}, HTTP_HOST=PROVINCE, follow=True)
    assert done.redirect_chain[-1][0] == users_url("change", editor.pk)
    assert "Đã đặt lại xác thực hai bước của tài khoản duyet.kimdong" in done.content.decode()
    assert not devices_of(editor) and devices_of(other)
    entry = LogEntry.objects.get(object_id=str(editor.pk), action_flag=CHANGE)
    assert entry.user == province["boss"] and "xác thực hai bước" in entry.get_change_message()
    # On a commune's host, that commune's administrator's view of it too.
    client.post(users_url("reset_second_factor", other.pk), {"post": "yes"}, HTTP_HOST=GIAVIEN)
    assert not devices_of(other)


def test_an_account_without_a_device_offers_no_reset(client, province):
    editor = make_staff("bientap.kimdong", EDITORS, unit=province["kimdong"])
    client.force_login(province["boss"])
    assert RESET not in client.get(users_url("change", editor.pk), HTTP_HOST=PROVINCE).content.decode()
    response = client.post(users_url("reset_second_factor", editor.pk), {"post": "yes"}, HTTP_HOST=PROVINCE)
    assert response.status_code == 302  # back to the page, with nothing to do


@pytest.mark.parametrize("who", OUT_OF_REACH)
def test_no_reset_of_the_second_factor_beyond_the_province(client, province, who):
    """Superusers, peers, oneself, accounts of another province: 404 by address, a POST changes nothing."""
    target = with_devices(out_of_reach(province)[who])
    before = devices_of(target)
    client.force_login(province["boss"])
    address = users_url("reset_second_factor", target.pk)
    assert client.get(address, HTTP_HOST=PROVINCE).status_code == 404
    assert client.post(address, {"post": "yes"}, HTTP_HOST=PROVINCE).status_code == 404
    assert client.post(address, {"post": "yes"}, HTTP_HOST=KIMDONG).status_code == 404
    assert devices_of(target) == before


def test_commune_staff_and_other_provinces_cannot_reset_a_second_factor(client, province):
    target = with_devices(make_staff("duyet.kimdong", APPROVERS, unit=province["kimdong"]))
    editor = make_staff("bientap", [EDITORS, APPROVERS], unit=province["kimdong"])
    client.force_login(editor)
    address = users_url("reset_second_factor", target.pk)
    assert client.get(address, HTTP_HOST=KIMDONG).status_code == 403
    assert client.post(address, {"post": "yes"}, HTTP_HOST=KIMDONG).status_code == 403
    hanam_boss = make_staff("quantri.hanam", PROVINCE_ADMINS, unit=province["hanam"])
    client.force_login(hanam_boss)
    assert client.post(address, {"post": "yes"}, HTTP_HOST=OTHER).status_code == 404
    assert devices_of(target) and len(devices_of(target)) == 2


def test_a_superuser_resets_anyones_second_factor_but_their_own(client, province):
    superuser = with_devices(make_staff("admin", superuser=True))
    other = with_devices(make_staff("admin2", superuser=True))
    client.force_login(superuser)
    assert (
        client.post(users_url("reset_second_factor", other.pk), {"post": "yes"}, HTTP_HOST=PROVINCE).status_code == 302
    )
    assert not devices_of(other)
    own = users_url("reset_second_factor", superuser.pk)
    assert client.post(own, {"post": "yes"}, HTTP_HOST=PROVINCE).status_code == 404
    assert RESET not in client.get(users_url("change", superuser.pk), HTTP_HOST=PROVINCE).content.decode()
    assert len(devices_of(superuser)) == 2
