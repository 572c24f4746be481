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
