"""Every section has a staff group made by a data migration, with exactly the rights its work needs."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.groups import APPROVERS, CLERKS, EDITORS, ONE_STOP, RECEPTION, SITE_PAGES
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

SECTIONS = {
    CLERKS: ["documents_document", "documents_documenttype", "documents_agency", "documents_sector"],
    ONE_STOP: ["services_procedure", "services_dossier", "services_sector"],
    SITE_PAGES: ["pages_page", "pages_leader", "pages_scheduleentry"],
    RECEPTION: ["feedback_feedback"],
    EDITORS: ["news_article", "news_category"],
    APPROVERS: ["news_article", "news_category"],
}
EVERYONE_ELSE = ["auth_user", "auth_group", "portal_sitesettings", "axes_accessattempt"]


@pytest.mark.parametrize("group", SECTIONS)
def test_each_group_works_in_its_sections_and_nowhere_else(client, group):
    """A member opens and adds in their own sections; every other section, users included, is 403."""
    client.force_login(make_staff("canbo", group=group))
    for model in SECTIONS[group]:
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200, model
    others = {m for g, models in SECTIONS.items() if g != group for m in models} - set(SECTIONS[group])
    for model in sorted(others) + EVERYONE_ELSE:
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 403, model
    assert client.get(reverse("admin:auth_user_add")).status_code == 403


# Lists every unit shares: a unit's staff pick from them, only the group given on the user's own page changes them.
SHARED_LISTS = {"documents_documenttype", "documents_agency", "documents_sector", "services_sector"}


@pytest.mark.parametrize("group", [CLERKS, ONE_STOP, SITE_PAGES])
def test_new_groups_add_in_their_sections(client, group):
    """The new groups may add the things their unit's section is made of, and only see the shared lists."""
    client.force_login(make_staff("canbo", group=group))
    for model in SECTIONS[group]:
        expected = 403 if model in SHARED_LISTS else 200
        assert client.get(reverse(f"admin:{model}_add")).status_code == expected, model


@pytest.mark.parametrize("group", [CLERKS, ONE_STOP])
def test_the_group_on_the_users_own_page_changes_the_shared_lists(client, group):
    """Given on the user's page ("Nhóm"), the group keeps today's rights on the lists every unit shares."""
    user = make_staff("canbo", group=group)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    for model in set(SECTIONS[group]) & SHARED_LISTS:
        assert client.get(reverse(f"admin:{model}_add")).status_code == 200, model


@pytest.mark.parametrize("group", [g for g in SECTIONS if g != APPROVERS])
def test_no_group_but_the_approvers_may_publish_or_touch_accounts(group):
    """Only "Duyệt bài" holds the right to publish; no group has any right on users, groups or permissions."""
    rights = set(Group.objects.get(name=group).permissions.values_list("content_type__app_label", "codename"))
    assert ("news", "publish_article") not in rights
    assert not {app for app, _ in rights} & {"auth", "admin", "contenttypes", "sessions", "axes", "reversion"}


def test_approvers_rights_stay_in_the_newsroom():
    rights = set(Group.objects.get(name=APPROVERS).permissions.values_list("content_type__app_label", flat=True))
    assert rights == {"news"}


def test_seed_demo_puts_a_demo_user_in_each_new_group():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    users = get_user_model().objects
    for username, group in (("vanthu", CLERKS), ("motcua", ONE_STOP), ("quantritrang", SITE_PAGES)):
        assert users.get(username=username).unit_memberships.filter(groups__name=group).exists()
