import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimson_portal.settings")

application = get_wsgi_application()

# Counts reach the database from a thread of each server process, never from a reader's request.
from stats import flusher  # noqa: E402  (needs the settings loaded above)

flusher.start()
