import urllib.request

import pytest

from tests.factories import make_article
from tests.live import gunicorn_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]


def test_gunicorn_serves_committed_articles():
    """A real gunicorn process sees the test database: the home page lists a new article."""
    make_article("Hội nghị sơ kết cụm quốc phòng")
    with gunicorn_server(workers=2) as base_url:
        page = urllib.request.urlopen(base_url + "/", timeout=10).read().decode()
    assert "Hội nghị sơ kết cụm quốc phòng" in page
