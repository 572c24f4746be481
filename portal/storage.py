"""Where uploaded files go: a folder per unit, and a private place for citizens' attachments.

Every new upload goes under the folder named by the code of the unit being served
(`kim-dong/covers/2026/07/anh.jpg`), so units' files never mix and a unit's files can be moved or
deleted as one. Files uploaded before units existed keep their names.

The private storage lives outside MEDIA_ROOT, so the web server that serves /media/ cannot serve
it; views check permissions and stream the files themselves.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage
from whitenoise.storage import CompressedManifestStaticFilesStorage

from . import units


def unit_folder(name):
    """`covers/a.jpg` -> `kim-dong/covers/a.jpg` for the unit being served (the first unit outside
    a request)."""
    unit = units.get(units.owner_id())
    return f"{unit.code}/{name}" if unit is not None else name


class UnitFolders:
    """A storage whose files named by a model's upload_to go under the unit's folder."""

    def generate_filename(self, filename):
        return super().generate_filename(unit_folder(filename))


class UnitFileSystemStorage(UnitFolders, FileSystemStorage):
    pass


class UnitS3Storage(UnitFolders, S3Storage):
    pass


@deconstructible
class PrivateStorage(UnitFolders, FileSystemStorage):
    # Read the setting on every use, so tests and deployments can move it.
    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Tệp riêng tư không có địa chỉ công khai.")


class StaticFiles(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed static files, each address worked out once per process.

    `{% static %}` looks the name up in the manifest and builds the address on every page (about as
    long as rendering a card); the manifest does not change while a process runs, since a release's
    collectstatic comes with a restart. Only names seen in templates are kept, a few dozen."""

    KEPT = 500

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._addresses[name]
        except KeyError:
            address = super().url(name)
            if len(self._addresses) < self.KEPT:
                self._addresses[name] = address
            return address
