"""Static file addresses in production: the manifest's hashed names, each worked out once per process."""

from unittest import mock

from django.core.management import call_command
from whitenoise.storage import CompressedManifestStaticFilesStorage

from portal.storage import StaticFiles


def test_each_address_is_worked_out_once_and_is_the_manifests(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "portal.storage.StaticFiles"}}
    call_command("collectstatic", interactive=False, verbosity=0)
    storage, plain = StaticFiles(), CompressedManifestStaticFilesStorage()
    with mock.patch.object(CompressedManifestStaticFilesStorage, "url", wraps=plain.url) as worked_out:
        first = storage.url("js/share.js")
        again = storage.url("js/share.js")
    assert first == again == plain.url("js/share.js")
    assert first.startswith("/static/js/share.") and first != "/static/js/share.js"  # the hashed name
    assert worked_out.call_count == 1


def test_production_settings_use_it():
    from kimson_portal import settings as project

    backend = project.STORAGES["staticfiles"]["BACKEND"]
    assert backend == (
        "django.contrib.staticfiles.storage.StaticFilesStorage" if project.DEBUG else "portal.storage.StaticFiles"
    )
