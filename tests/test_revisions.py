"""django-reversion's history and recover views respect publishing rights.

Reverting runs inside a transaction that rewrites the row first and then shows or saves the
change form, so each check here is about the stored row and the target revision: a user who may
not publish can never, through history, change a published article's status, text or time, nor
make a draft public.
"""

from datetime import timedelta

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from news.models import Article
from portal.groups import APPROVERS, EDITORS, RECEPTION
from tests.factories import make_category, make_staff

pytestmark = pytest.mark.django_db

DRAFT, PENDING, PUBLISHED = Article.Status.DRAFT, Article.Status.PENDING, Article.Status.PUBLISHED

# Every staff group, and a superuser; whether each may publish articles, may touch them at all.
ACTORS = [
    pytest.param((EDITORS, False, True), id="editor"),
    pytest.param((APPROVERS, True, True), id="approver"),
    pytest.param((RECEPTION, False, False), id="reception"),
    pytest.param((None, True, True), id="superuser"),
]


@pytest.fixture
def actor(request, client):
    group, may_publish, may_edit = request.param
    client.force_login(make_staff("nguoidung", group=group, superuser=group is None))
    client.may_publish, client.may_edit = may_publish, may_edit
    return client


def with_actors(test):
    return pytest.mark.parametrize("actor", ACTORS, indirect=True)(test)


def saved(article, **changes):
    """Change `article` and keep a revision of it, as an admin save does."""
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()
    return Version.objects.get_for_object(article).first()


def new_article(title, status, **fields):
    with reversion.create_revision():
        article = Article.objects.create(
            title=title,
            category=make_category(),
            sapo="Tóm tắt.",
            body=f"<p>Nội dung {title}.</p>",
            status=status,
            publish_at=timezone.now() - timedelta(days=1),
            **fields,
        )
    return article, Version.objects.get_for_object(article).first()


def revision_url(version):
    return reverse("admin:news_article_revision", args=[version.object_id, version.pk])


def recover_url(version):
    return reverse("admin:news_article_recover", args=[version.pk])


def form_data(version, transition=None):
    """What the change form posts back when the revision shown is saved unchanged."""
    fields = version.field_dict
    return {
        **({"_transition": transition} if transition else {}),
        "title": fields["title"],
        "slug": fields["slug"],
        "category": fields["category_id"],
        "sapo": fields["sapo"],
        "body": fields["body"],
        "cover_caption": fields["cover_caption"],
        "author": fields["author"],
        "source": fields["source"],
        **({"featured": "on"} if fields["featured"] else {}),
    }


def stored(article):
    return Article.objects.filter(pk=article.pk).values("title", "body", "status", "publish_at").first()


@pytest.fixture
def published_with_draft_past():
    """A published article whose first revision was a draft with other text and time."""
    article, draft_version = new_article("Bản nháp của biên tập", DRAFT)
    saved(
        article,
        title="Bài đã xuất bản",
        body="<p>Nội dung đã duyệt.</p>",
        status=PUBLISHED,
        publish_at=timezone.now() - timedelta(hours=2),
    )
    return article, draft_version


@pytest.fixture
def draft_with_published_past():
    """A draft (unpublished by an approver) whose first revision was published."""
    article, published_version = new_article("Bài từng xuất bản", PUBLISHED)
    saved(article, title="Bài đã gỡ", status=DRAFT)
    return article, published_version


def assert_no_editable_form(page):
    assert 'name="_transition"' not in page and 'name="_save"' not in page
    assert 'name="title"' not in page


@with_actors
def test_history_revision_of_a_published_article_is_read_only_without_publish_right(actor, published_with_draft_past):
    """GET of a draft revision of a published article: editable only for those who may publish."""
    article, draft_version = published_with_draft_past
    before = stored(article)
    response = actor.get(revision_url(draft_version))
    assert stored(article) == before
    if not actor.may_edit:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bản nháp của biên tập" in page
    if actor.may_publish:
        assert 'name="_transition" value="save"' in page and 'name="title"' in page
    else:
        assert_no_editable_form(page)
        assert "Bạn không có quyền khôi phục phiên bản này" in page


@with_actors
def test_reverting_a_published_article_to_a_draft_revision_needs_publish_right(actor, published_with_draft_past):
    """POSTing a draft revision of a published article rewrites it only for those who may publish,
    and even then only its content: it stays published at its time."""
    article, draft_version = published_with_draft_past
    before = stored(article)
    response = actor.post(revision_url(draft_version), form_data(draft_version))
    if actor.may_publish:
        assert response.status_code == 302
        after = stored(article)
        assert after["title"] == "Bản nháp của biên tập"
        assert (after["status"], after["publish_at"]) == (PUBLISHED, before["publish_at"])
    else:
        assert response.status_code == 403
        assert stored(article) == before
        assert actor.get(article.get_absolute_url()).status_code == 200


@with_actors
def test_reverting_a_published_article_to_an_older_published_revision_needs_publish_right(actor):
    """Going back to an earlier published text of a live article is rewriting it: publishers only."""
    article, old_version = new_article("Tiêu đề cũ", PUBLISHED)
    saved(article, title="Tiêu đề mới")
    before = stored(article)
    response = actor.post(revision_url(old_version), form_data(old_version))
    if actor.may_publish:
        assert response.status_code == 302
        assert stored(article)["title"] == "Tiêu đề cũ"
    else:
        assert response.status_code == 403
        assert stored(article) == before


@with_actors
def test_reverting_a_draft_to_a_published_revision_needs_publish_right(actor, draft_with_published_past):
    """A draft whose past revision was published goes public through history only for publishers."""
    article, published_version = draft_with_published_past
    before = stored(article)
    page = actor.get(revision_url(published_version))
    assert page.status_code == (200 if actor.may_edit else 403)
    if actor.may_edit and not actor.may_publish:
        assert_no_editable_form(page.content.decode())
    response = actor.post(revision_url(published_version), form_data(published_version))
    if actor.may_publish:
        assert response.status_code == 302
        assert (stored(article)["title"], stored(article)["status"]) == ("Bài từng xuất bản", DRAFT)
        response = actor.post(revision_url(published_version), form_data(published_version, "publish"))
        assert response.status_code == 302
        assert stored(article)["status"] == PUBLISHED
    else:
        for transition in (None, "publish"):
            response = actor.post(revision_url(published_version), form_data(published_version, transition))
            assert response.status_code == 403
            assert stored(article) == before
        actor.logout()
        assert actor.get(article.get_absolute_url()).status_code == 404


@with_actors
def test_reverting_a_draft_to_an_earlier_draft_revision_is_ordinary_editing(actor):
    """Between drafts, history is an editor's tool: whoever may edit articles may revert."""
    article, first = new_article("Nháp lần một", PENDING)
    saved(article, title="Nháp lần hai", status=DRAFT)
    response = actor.get(revision_url(first))
    assert response.status_code == (200 if actor.may_edit else 403)
    response = actor.post(revision_url(first), form_data(first))
    if actor.may_edit:
        assert response.status_code == 302
        assert (stored(article)["title"], stored(article)["status"]) == ("Nháp lần một", DRAFT)
    else:
        assert response.status_code == 403
        assert stored(article)["title"] == "Nháp lần hai"


@with_actors
def test_a_revision_that_also_holds_a_published_article_is_not_reverted_by_non_publishers(actor):
    """A revision saved by a list action holds several articles; reverting one reverts them all."""
    category = make_category()
    with reversion.create_revision():
        draft = Article.objects.create(title="Nháp A", category=category, sapo="a", body="<p>a</p>", status=DRAFT)
        live = Article.objects.create(title="Bài B cũ", category=category, sapo="b", body="<p>b</p>", status=PUBLISHED)
    shared = Version.objects.get_for_object(draft).first()
    saved(live, title="Bài B mới")
    saved(draft, title="Nháp A sửa")
    response = actor.post(revision_url(shared), form_data(shared))
    if actor.may_publish:
        assert response.status_code == 302
        assert stored(live)["title"] == "Bài B cũ"
    else:
        assert response.status_code == 403
        assert stored(live)["title"] == "Bài B mới" and stored(draft)["title"] == "Nháp A sửa"


@with_actors
def test_recovering_a_deleted_published_article_needs_publish_right(actor):
    """A deleted published article comes back public only when someone who may publish presses "Xuất bản"."""
    article, version = new_article("Bài đã xóa", PUBLISHED)
    article.delete()
    response = actor.get(recover_url(version))
    if actor.may_edit and not actor.may_publish:
        assert response.status_code == 200
        assert_no_editable_form(response.content.decode())
    response = actor.post(recover_url(version), form_data(version, "publish"))
    if actor.may_publish:
        assert response.status_code == 302
        assert Article.objects.published().filter(title="Bài đã xóa").exists()
    else:
        assert response.status_code == 403
        assert not Article.objects.exists()


@with_actors
def test_recovering_a_deleted_draft_is_ordinary_editing(actor):
    """A deleted draft comes back as a draft for whoever may add and edit articles."""
    article, version = new_article("Nháp đã xóa", DRAFT)
    article.delete()
    response = actor.post(recover_url(version), form_data(version))
    if actor.may_edit:
        assert response.status_code == 302
        assert Article.objects.get().status == DRAFT
        assert Article.objects.get().title == "Nháp đã xóa"
    else:
        assert response.status_code == 403
        assert not Article.objects.exists()


def test_a_list_action_saves_one_revision_per_article(client):
    """Publishing several articles from the list keeps one revision each, so each reverts alone."""
    client.force_login(make_staff("duyetbai", group=APPROVERS))
    first, _ = new_article("Bài một", PENDING)
    second, _ = new_article("Bài hai", PENDING)
    client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish", "_selected_action": [first.pk, second.pk]},
    )
    latest = Version.objects.get_for_object(first).first()
    assert latest.field_dict["status"] == PUBLISHED
    assert latest.revision.version_set.count() == 1
