"""Every admin page of the citizen-service apps opens for a superuser."""

import pytest

from feedback.models import Feedback
from services.models import Dossier, Procedure, Sector, ServiceSettings
from tests.factories import make_document, make_staff

pytestmark = pytest.mark.django_db

MODELS = [
    "feedback/feedback",
    "feedback/feedbacklog",
    "documents/document",
    "documents/documenttype",
    "documents/agency",
    "documents/sector",
    "services/procedure",
    "services/sector",
    "services/dossier",
    "services/servicesettings",
    "pages/page",
    "pages/leader",
    "pages/contactdetails",
    "pages/scheduleentry",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_list_and_add_pages_open(client, model):
    client.force_login(make_staff("admin", superuser=True))
    assert client.get(f"/admin/{model}/").status_code == 200
    add = client.get(f"/admin/{model}/add/")
    assert add.status_code in (200, 403)  # feedback and the log are never added by hand


def test_admin_change_pages_open(client):
    client.force_login(make_staff("admin", superuser=True))
    feedback = Feedback.objects.create(name="A", address="B", phone="0912345678", title="T", content="C")
    document = make_document()
    procedure = Procedure.objects.create(
        name="Khai sinh", sector=Sector.objects.create(name="Hộ tịch"), processing_time="1 ngày", requirements="x"
    )
    dossier = Dossier.objects.create(
        procedure=procedure, applicant_name="A", received_on="2026-11-20", due_on="2026-11-21"
    )
    for url in (
        f"/admin/feedback/feedback/{feedback.pk}/change/",
        f"/admin/documents/document/{document.pk}/change/",
        f"/admin/services/procedure/{procedure.pk}/change/",
        f"/admin/services/dossier/{dossier.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("model, field", [(ServiceSettings, "portal_url"), (Procedure, "online_url")])
def test_an_address_typed_without_https_is_saved_with_it(rf, model, field):
    """An editor typing "dichvucong.ninhbinh.gov.vn" links to the secure site, not to http://."""
    from django.contrib import admin

    request = rf.get("/")
    request.user = make_staff("admin", superuser=True)
    form = admin.site._registry[model].get_form(request)()
    assert form.fields[field].clean("dichvucong.ninhbinh.gov.vn") == "https://dichvucong.ninhbinh.gov.vn"
