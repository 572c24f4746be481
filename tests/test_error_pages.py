import pytest
from django.test import Client

from feedback.models import Feedback

pytestmark = pytest.mark.django_db


def test_expired_form_gets_a_vietnamese_403_with_a_way_back():
    """A form posted without a valid CSRF token explains what happened and links back to the form."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/gop-y/", {"name": "Nguyễn Văn An"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn hoặc trình duyệt chặn cookie" in html
    assert 'href="/gop-y/"' in html
    assert '<html lang="vi"' in html  # the portal frame, not Django's English page


def test_forbidden_page_is_vietnamese(client):
    """A citizen's attachment link opened without staff rights: Vietnamese 403 in the site frame."""
    item = Feedback.objects.create(name="A", address="B", phone="0912345678", title="T", content="C")
    response = client.get(f"/gop-y/tep-dinh-kem/{item.pk}/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền truy cập" in html and "Về trang chủ" in html
    assert '<html lang="vi"' in html
