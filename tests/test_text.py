import unicodedata

import pytest

from news.models import Category
from portal.text import slugify_vi, strip_diacritics
from tests.factories import make_article, make_category


def test_slug_of_a_vietnamese_title_is_plain_ascii():
    """A Vietnamese title becomes an ASCII slug without diacritics."""
    assert slugify_vi("Sơ kết hoạt động cụm số 1") == "so-ket-hoat-dong-cum-so-1"


def test_slug_turns_d_with_stroke_into_d():
    """ "đ" and "Đ", which Unicode does not decompose, become "d"."""
    assert slugify_vi("Đồng Hướng đón Đoàn công tác") == "dong-huong-don-doan-cong-tac"


def test_slug_of_decomposed_text_equals_slug_of_composed_text():
    """Text pasted in decomposed (NFD) form gives the same slug as composed text."""
    title = "Quốc phòng - An ninh huyện Kim Sơn"
    decomposed = unicodedata.normalize("NFD", title)
    assert decomposed != title
    assert slugify_vi(decomposed) == slugify_vi(title) == "quoc-phong-an-ninh-huyen-kim-son"


def test_strip_diacritics_keeps_case_and_spaces():
    """Diacritics are removed, letters and spaces stay."""
    assert strip_diacritics("Đồng Hướng, Ân Hòa") == "Dong Huong, An Hoa"


@pytest.mark.django_db
def test_article_slug_is_made_from_its_title():
    """An article saved without a slug gets one from its Vietnamese title."""
    article = make_article("Sơ kết hoạt động cụm số 1")
    assert article.slug == "so-ket-hoat-dong-cum-so-1"
    assert article.get_absolute_url() == "/tin-tuc/so-ket-hoat-dong-cum-so-1/"


@pytest.mark.django_db
def test_same_title_twice_gets_a_numbered_slug():
    """A second article with the same title gets "-2", a third "-3"."""
    slugs = [make_article("Sơ kết hoạt động cụm số 1").slug for _ in range(3)]
    assert slugs == ["so-ket-hoat-dong-cum-so-1", "so-ket-hoat-dong-cum-so-1-2", "so-ket-hoat-dong-cum-so-1-3"]


@pytest.mark.django_db
def test_saving_again_keeps_the_slug():
    """Editing an article does not change its address."""
    article = make_article("Sơ kết hoạt động cụm số 1")
    article.title = "Tiêu đề đã sửa"
    article.save()
    article.refresh_from_db()
    assert article.slug == "so-ket-hoat-dong-cum-so-1"


@pytest.mark.django_db
def test_category_slug_is_unique_ascii():
    """Categories get ASCII slugs too, numbered when the name repeats."""
    first = make_category("Quốc phòng - An ninh")
    second = Category.objects.create(name="Quốc phòng - An ninh")
    assert (first.slug, second.slug) == ("quoc-phong-an-ninh", "quoc-phong-an-ninh-2")
