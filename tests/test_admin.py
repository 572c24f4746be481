import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from news.models import Article
from tests.factories import make_article, make_category, make_staff

pytestmark = pytest.mark.django_db

EDITORS = "Biên tập viên"
APPROVERS = "Duyệt bài"
ADD_URL = reverse("admin:news_article_add")
LIST_URL = reverse("admin:news_article_changelist")


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def article_form(category, transition="save_draft", **overrides):
    """The fields the admin's article form posts, with the workflow button pressed."""
    data = {
        "_transition": transition,
        "title": "Hội nghị sơ kết cụm quốc phòng",
        "slug": "",
        "category": category.pk,
        "sapo": "Tóm tắt bài viết.",
        "body": "<p>Nội dung bài viết.</p>",
        "cover_caption": "",
        "author": "Mai Hoa",
        "source": "",
    }
    return {**data, **overrides}


@pytest.fixture
def category():
    return make_category("Quốc phòng - An ninh")


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff("bientap", group=EDITORS))
    return client


@pytest.fixture
def approver_client(client):
    client.force_login(make_staff("duyetbai", group=APPROVERS))
    return client


def test_data_migration_creates_both_groups_with_their_rights():
    """Migrations create "Biên tập viên" without and "Duyệt bài" with the right to publish."""
    editors = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    approvers = set(Group.objects.get(name=APPROVERS).permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "view_article"} <= editors
    assert "publish_article" not in editors and "delete_article" not in editors
    assert {"add_article", "change_article", "publish_article"} <= approvers


def test_editor_creates_a_draft_and_submits_it_for_review(editor_client, category):
    """An editor saves a draft, then submits it: its status becomes "Chờ duyệt"."""
    response = editor_client.post(ADD_URL, article_form(category))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.created_by.username == "bientap"
    response = editor_client.post(
        LIST_URL, {"action": "submit_for_review", "_selected_action": [article.pk]}, follow=True
    )
    assert "Đã gửi duyệt 1 bài viết." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING


def test_editor_submits_straight_from_the_new_article_form(editor_client, category):
    """An editor may press "Gửi duyệt" on a new article: it is saved as "Chờ duyệt"."""
    editor_client.post(ADD_URL, article_form(category, "submit"))
    assert Article.objects.get().status == Article.Status.PENDING


@pytest.mark.parametrize("transition", ["publish", "schedule", "unpublish", "return", "save", "no-such-button"])
def test_editor_post_with_an_approvers_button_is_forbidden(editor_client, category, transition):
    """An editor's forged POST of an approver's button (or an unknown one) is 403; nothing is saved."""
    response = editor_client.post(ADD_URL, article_form(category, transition))
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_editor_cannot_publish_own_draft_by_editing_it(editor_client, category):
    """Pressing a forged "Xuất bản" on a draft is refused too, and a forged status field is ignored."""
    article = make_article(category=category, status=Article.Status.DRAFT)
    response = editor_client.post(change_url(article), article_form(category, "publish"))
    assert response.status_code == 403
    editor_client.post(change_url(article), article_form(category, status="published", publish_at_0="01/01/2020"))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_editor_cannot_change_a_published_article(editor_client, category):
    """A published article is read-only for an editor: a POST to it is forbidden and changes nothing."""
    article = make_article("Bài đã xuất bản", category=category)
    page = editor_client.get(change_url(article)).content.decode()
    assert 'name="_save"' not in page
    response = editor_client.post(change_url(article), article_form(category, title="Sửa trộm"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.title, article.status) == ("Bài đã xuất bản", Article.Status.PUBLISHED)


def test_editor_has_no_publish_actions_and_a_forged_one_does_nothing(editor_client, category):
    """The publish/unpublish actions are not offered to editors, and posting one anyway publishes nothing."""
    draft = make_article(category=category, status=Article.Status.PENDING)
    page = editor_client.get(LIST_URL).content.decode()
    assert 'value="submit_for_review"' in page
    assert 'value="publish"' not in page and 'value="unpublish"' not in page
    editor_client.post(LIST_URL, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.PENDING


def test_approver_publishes_and_unpublishes(approver_client, category):
    """An approver publishes a pending article (it goes public) and unpublishes it again."""
    article = make_article("Bài chờ duyệt", category=category, status=Article.Status.PENDING)
    response = approver_client.post(LIST_URL, {"action": "publish", "_selected_action": [article.pk]}, follow=True)
    assert "Đã xuất bản 1 bài viết." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert approver_client.get(article.get_absolute_url()).status_code == 200
    approver_client.post(LIST_URL, {"action": "unpublish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    approver_client.logout()
    assert approver_client.get(article.get_absolute_url()).status_code == 404


def test_approver_publishes_through_the_form(approver_client, category):
    """An approver may press "Xuất bản" straight on a new article."""
    response = approver_client.post(ADD_URL, article_form(category, "publish"))
    assert response.status_code == 302
    assert Article.objects.published().count() == 1


def test_admin_save_keeps_a_revision(approver_client, category):
    """Every admin save is kept in the history (django-reversion), with who made it."""
    approver_client.post(ADD_URL, article_form(category))
    article = Article.objects.get()
    approver_client.post(change_url(article), article_form(category, title="Tiêu đề mới"))
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 2
    assert versions.first().field_dict["title"] == "Tiêu đề mới"
    assert versions.first().revision.user.username == "duyetbai"
    history = approver_client.get(reverse("admin:news_article_history", args=[article.pk])).content.decode()
    assert "duyetbai" in history


def test_publish_action_is_recorded_in_history(approver_client, category):
    """Publishing from the list also leaves a revision with a comment."""
    article = make_article(category=category, status=Article.Status.PENDING)
    approver_client.post(LIST_URL, {"action": "publish", "_selected_action": [article.pk]})
    assert Version.objects.get_for_object(article).first().revision.comment == "Xuất bản"


def test_admin_speaks_vietnamese(approver_client):
    """The admin's own labels are Vietnamese."""
    page = approver_client.get(LIST_URL).content.decode()
    assert "Quản trị Trang thông tin điện tử" in page
    assert "Bài viết" in page and "Theo Trạng thái" in page
    assert "Chọn Bài viết để thay đổi" in page and "Thêm Bài viết" in page
    assert "Select article to change" not in page


def test_article_form_loads_ckeditor_5(approver_client):
    """The article form carries the CKEditor 5 widget, its script, its Vietnamese pack and the upload URL."""
    page = approver_client.get(ADD_URL).content.decode()
    assert 'class="django_ckeditor_5"' in page
    assert "django_ckeditor_5/dist/bundle.js" in page
    assert "django_ckeditor_5/dist/translations/vi.js" in page
    assert f'data-upload-url="{reverse("portal:editor_upload")}"' in page
    assert '"language": "vi"' in page


def test_article_list_has_filters_search_and_date_hierarchy(approver_client, category):
    """The list offers filters, a search box and a by-date drill-down."""
    make_article("Hội nghị quốc phòng", category=category)
    make_article("Thu hoạch lúa", category=category)
    page = approver_client.get(LIST_URL, {"q": "quốc phòng"}).content.decode()
    assert 'id="changelist-filter"' in page
    assert 'id="searchbar"' in page
    assert "xfull" in page or "date-hierarchy" in page or "toplinks" in page
    assert "Hội nghị quốc phòng" in page and "Thu hoạch lúa" not in page


def test_collectstatic_collects_the_editor_and_site_assets(settings, tmp_path):
    """collectstatic works and gathers the site's CSS/JS and CKEditor's bundle."""
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    for path in ("css/site.css", "js/site.js", "img/emblem.svg", "django_ckeditor_5/dist/bundle.js"):
        assert (tmp_path / "static" / path).exists(), path


def test_admin_stays_vietnamese_for_an_english_browser(approver_client):
    """A browser asking for English still gets the Vietnamese admin: the portal is Vietnamese only."""
    response = approver_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="vi"' in page and "Chọn Bài viết để thay đổi" in page
    assert "Accept-Language" not in response.get("Vary", "")


def test_empty_body_is_refused_by_the_server_not_silently_by_the_browser(approver_client, category):
    """The hidden editor textarea is not `required` (the browser would block without a message); the server asks for it."""
    page = approver_client.get(ADD_URL).content.decode()
    assert re.search(r'<textarea[^>]*name="body"[^>]*>', page)
    assert " required" not in re.search(r'<textarea[^>]*name="body"[^>]*>', page).group(0)
    response = approver_client.post(ADD_URL, article_form(category, body=""))
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.content.decode()
    assert not Article.objects.exists()


def test_admin_reads_dates_day_first(approver_client, category):
    """A publish date typed 05/10/2099 is 5 October 2099, as Vietnamese write it, not 10 May."""
    data = article_form(category, "schedule", schedule_at_0="05/10/2099", schedule_at_1="08:00")
    response = approver_client.post(ADD_URL, data)
    assert response.status_code == 302
    publish_at = timezone.localtime(Article.objects.get().publish_at)
    assert (publish_at.day, publish_at.month, publish_at.year, publish_at.hour) == (5, 10, 2099, 8)


def test_admin_shows_dates_day_first(approver_client, category):
    """The admin shows a saved publish time as dd/mm/yyyy HH:MM, in Vietnam time."""
    article = make_article(category=category)
    Article.objects.filter(pk=article.pk).update(publish_at=datetime(2024, 10, 26, 1, 0, tzinfo=UTC))
    page = approver_client.get(change_url(article)).content.decode()
    assert "26/10/2024 08:00" in page
    Article.objects.filter(pk=article.pk).update(publish_at=datetime(2099, 10, 26, 1, 0, tzinfo=UTC))
    assert 'value="26/10/2099"' in approver_client.get(change_url(article)).content.decode()


def test_category_dropdown_lists_each_top_category_followed_by_its_children(editor_client):
    """The "Chuyên mục" select is the menu tree: tops by order then name, each followed by its children."""
    economy = make_category("Kinh tế", order=2)
    politics = make_category("Chính trị", order=1)
    make_category("Thương mại", parent=economy, order=2)
    make_category("Nông nghiệp", parent=economy, order=1)
    make_category("Xây dựng Đảng", parent=politics)
    make_category("An ninh", order=2)  # same order as Kinh tế: by name
    html = editor_client.get(ADD_URL).content.decode()
    select = html.split('name="category"')[1].split("</select>")[0]
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select)
    assert labels == [
        "Chính trị",
        "Chính trị › Xây dựng Đảng",
        "An ninh",
        "Kinh tế",
        "Kinh tế › Nông nghiệp",
        "Kinh tế › Thương mại",
    ]
