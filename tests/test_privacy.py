"""Citizens' contact details never appear on a public page."""

import pytest

from feedback.models import Feedback
from services.models import Dossier, Procedure, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


PRIVATE = ("0987654321", "+84987654321", "binh.tran@example.com", "Số 12 phố Phát Diệm", "Trần Thị Bình")


def test_no_personal_contact_data_in_public_html(client):
    """Crawl every public citizen-service page: the sender's phone, e-mail, address and full name are absent."""
    item = Feedback.objects.create(
        name="Trần Thị Bình",
        address="Số 12 phố Phát Diệm",
        phone="0987654321",
        email="binh.tran@example.com",
        title="Hỏi về khai sinh",
        content="Cần giấy tờ gì?",
        public_title="Hỏi về khai sinh",
        public_content="Cần giấy tờ gì?",
        answer="Tờ khai và giấy chứng sinh.",
        status=Feedback.Status.PUBLISHED,
    )
    procedure = Procedure.objects.create(
        name="Đăng ký khai sinh",
        sector=Sector.objects.create(name="Hộ tịch"),
        processing_time="1 ngày",
        requirements="Tờ khai",
    )
    dossier = Dossier.objects.create(
        procedure=procedure,
        applicant_name="Trần Thị Bình",
        applicant_phone="0987654321",
        received_on="2026-11-20",
        due_on="2026-11-21",
    )
    dossier.record(Dossier.Status.RECEIVED)
    pages = [
        client.get(url)
        for url in (
            "/",
            "/gop-y/",
            "/gop-y/hoi-dap/",
            "/gop-y/du-lieu-ca-nhan/",
            "/van-ban/",
            "/mot-cua/",
            "/gioi-thieu/lanh-dao/",
            "/lien-he/",
            "/lien-he/en/",
            "/lich-cong-tac/",
            f"/mot-cua/tra-cuu/?ma={dossier.receipt_code}",
            procedure.get_absolute_url(),
        )
    ]
    pages.append(client.post("/mot-cua/tra-cuu/", {"ma": dossier.receipt_code, "so_cuoi": "4321"}))
    pages.append(client.post("/gop-y/tra-cuu/", {"code": item.code, "contact": "0987654321"}))
    assert (
        pages[2].status_code == pages[3].status_code == 200
        and "Tờ khai và giấy chứng sinh." in pages[2].content.decode()
    )
    assert "Trần T*** B****" in pages[-2].content.decode()
    for response in pages:
        html = response.content.decode()
        for private in PRIVATE:
            assert private not in html, (response.request["PATH_INFO"], private)
