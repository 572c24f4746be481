import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from news.models import Article, Category
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db


def test_categories_have_at_most_two_levels():
    """A sub-category cannot get children, and a category with children cannot become a child."""
    top = make_category("Kinh tế")
    child = make_category("Nông nghiệp", parent=top)
    with pytest.raises(ValidationError):
        Category(name="Lúa", parent=child).full_clean()
    other = make_category("Chính trị")
    top.parent = other
    with pytest.raises(ValidationError):
        top.full_clean()
    top.parent = None
    other.parent = top
    other.full_clean()  # a childless top category may move under another


def test_categories_are_ordered_by_the_editors_order():
    """Categories sort by their order number, then by name."""
    make_category("Thông báo", order=3)
    make_category("Chính trị", order=1)
    make_category("Kinh tế", order=1)
    assert list(Category.objects.values_list("name", flat=True)) == ["Chính trị", "Kinh tế", "Thông báo"]


def test_published_needs_published_status_and_a_past_time():
    """published() returns only published articles whose time has come, newest first."""
    older = make_article("Cũ hơn", days=3)
    newer = make_article("Mới hơn", days=1)
    make_article("Nháp", status=Article.Status.DRAFT)
    make_article("Chờ duyệt", status=Article.Status.PENDING)
    make_article("Hẹn giờ", days=-1)
    assert list(Article.objects.published()) == [newer, older]


def test_article_is_public_matches_published():
    """An article's is_public agrees with the published() rule."""
    assert make_article("Công khai").is_public
    assert not make_article("Hẹn giờ", days=-1).is_public
    assert not make_article("Nháp", status=Article.Status.DRAFT).is_public


def test_new_article_starts_as_a_draft_with_no_views():
    """By default an article is a draft with 0 views."""
    article = Article.objects.create(title="Bài mới", sapo="s", body="<p>b</p>", category=make_category())
    assert (article.status, article.view_count) == (Article.Status.DRAFT, 0)


def test_models_and_migrations_agree():
    """Every model change has its migration (makemigrations finds nothing to do)."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
