"""Storage for files the public must never reach, such as citizens' attachments.

It lives outside MEDIA_ROOT, so the web server that serves /media/ cannot serve it;
views check permissions and stream the files themselves.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    # Read the setting on every use, so tests and deployments can move it.
    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Tệp riêng tư không có địa chỉ công khai.")
