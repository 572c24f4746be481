from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article
from tests.factories import freeze_now, make_article, make_category, make_staff

pytestmark = pytest.mark.django_db

HIDDEN = [
    pytest.param({"status": Article.Status.DRAFT}, id="draft"),
    pytest.param({"status": Article.Status.PENDING}, id="pending"),
    pytest.param({"status": Article.Status.PUBLISHED, "days": -2}, id="scheduled"),
]


@pytest.mark.parametrize("state", HIDDEN)
def test_unpublished_article_is_invisible_to_the_public(client, state):
    """Drafts, articles awaiting review and scheduled ones are on no public page and answer 404."""
    category = make_category("Thông báo")
    article = make_article("Bài chưa công khai", category=category, **state)
    assert Article.objects.published().count() == 0
    assert "Bài chưa công khai" not in client.get("/").content.decode()
    assert "Bài chưa công khai" not in client.get(category.get_absolute_url()).content.decode()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_published_article_is_visible_everywhere(client):
    """A published article with a past publish time is on home, its category page and its own page."""
    category = make_category("Thông báo")
    article = make_article("Bài đã công khai", category=category)
    assert "Bài đã công khai" in client.get("/").content.decode()
    assert "Bài đã công khai" in client.get(category.get_absolute_url()).content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_scheduled_article_appears_by_itself_when_its_time_comes(client, monkeypatch):
    """No cron: a scheduled article shows up as soon as the clock passes its publish time."""
    category = make_category("Thông báo")
    publish_at = timezone.now() + timedelta(hours=3)
    article = make_article("Bài hẹn giờ", category=category)
    Article.objects.filter(pk=article.pk).update(publish_at=publish_at)

    freeze_now(monkeypatch, publish_at - timedelta(seconds=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Bài hẹn giờ" not in client.get("/").content.decode()

    freeze_now(monkeypatch, publish_at)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Bài hẹn giờ" in client.get("/").content.decode()
    assert "Bài hẹn giờ" in client.get(category.get_absolute_url()).content.decode()


@pytest.mark.parametrize("state", HIDDEN)
def test_staff_preview_unpublished_article_with_banner_and_no_cache(client, state):
    """Staff see an unpublished article at its address, with a preview banner and never-cache headers."""
    article = make_article("Bài xem trước", **state)
    client.force_login(make_staff("bientap", group="Biên tập viên"))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bản xem trước: bài viết chưa được xuất bản" in page
    assert "Bài xem trước" in page
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_published_article_has_no_preview_banner_for_staff(client):
    """A published article shows no preview banner, even to staff."""
    article = make_article("Bài đã đăng")
    client.force_login(make_staff("bientap", group="Biên tập viên"))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Bản xem trước" not in page


def test_logged_in_non_staff_cannot_preview(client, django_user_model):
    """A signed-in user who is not staff gets 404 for a draft, like everyone else."""
    article = make_article("Bài nháp", status=Article.Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("dan", password="x"))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_preview_of_a_scheduled_article_says_when_it_goes_live(client):
    """The preview banner of a scheduled article gives its publish time in Vietnam time."""
    from datetime import UTC, datetime

    article = make_article("Bài hẹn giờ")
    Article.objects.filter(pk=article.pk).update(publish_at=datetime(2099, 11, 20, 17, 30, tzinfo=UTC))
    client.force_login(make_staff("duyetbai", group="Duyệt bài"))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "(hẹn giờ xuất bản lúc 00:30 Thứ bảy, 21/11/2099)" in page


def test_preview_of_a_draft_names_its_status(client):
    """The preview banner of a draft says it is a draft."""
    article = make_article("Bài nháp", status=Article.Status.DRAFT)
    client.force_login(make_staff("bientap", group="Biên tập viên"))
    assert "chưa được xuất bản (bản nháp)" in client.get(article.get_absolute_url()).content.decode()
