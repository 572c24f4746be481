import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_home_lists_a_published_article(client):
    """The home page shows a published article's title."""
    make_article("Khai giảng năm học mới")
    response = client.get("/")
    assert response.status_code == 200
    assert "Khai giảng năm học mới" in response.content.decode()
