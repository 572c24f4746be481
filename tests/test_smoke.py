import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_home_lists_a_published_article(client):
    """The home page shows a published article's title."""
    make_article("Khai giảng năm học mới")
    response = client.get("/")
    assert response.status_code == 200
    assert "Khai giảng năm học mới" in response.content.decode()


def test_the_system_checks_report_nothing_on_this_database():
    """`make run` and `manage.py check` start without warnings, on SQLite as on PostgreSQL."""
    from django.core import checks

    assert [message.id for message in checks.run_checks(databases=["default"]) if not message.is_silenced()] == []
