import datetime

from django.utils import timezone

from search.registry import SearchIndex, register

from .models import Document, DocumentFile


@register
class DocumentIndex(SearchIndex):
    model = Document
    kind = "document"
    label = "Văn bản"
    # An attached file saved or removed (the admin saves them after the document) re-indexes it.
    related = {DocumentFile: "document"}

    def get_queryset(self):
        # Documents with a future publish time are indexed now and hidden until then.
        return (
            Document.objects.filter(is_published=True)
            .select_related("doc_type", "agency", "sector")
            .prefetch_related("files")
        )

    def is_indexed(self, obj):
        return obj.is_published

    def title(self, obj):
        return f"{obj.doc_type.name} {obj.number}: {obj.summary}"

    def code(self, obj):
        return obj.number

    def body(self, obj):
        # The files' text after the metadata: searched like the rest, the excerpt shows where it matched.
        files = " ".join(item.text for item in obj.files.all() if item.text)
        return (
            f"Cơ quan ban hành: {obj.agency.name}. Lĩnh vực: {obj.sector.name}. "
            f"Người ký: {obj.signer_title} {obj.signer_name}. {files}"
        )

    def date(self, obj):
        # The issue date a reader knows the document by, at the start of that day in local time.
        return datetime.datetime.combine(obj.issued_on, datetime.time.min, timezone.get_current_timezone())

    def visible_from(self, obj):
        return obj.publish_at
