from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Văn bản điện tử"

    def ready(self):
        from portal.pagecache import register_scheduled

        from .models import Document

        # A scheduled document appears in search, the open data and the lists at its publish time.
        register_scheduled(Document.objects.next_publish_at)
