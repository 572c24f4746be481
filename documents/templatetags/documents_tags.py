from django import template

from documents.models import Document

register = template.Library()


@register.inclusion_tag("documents/side_latest.html")
def latest_documents(count=5):
    """The sidebar's "Văn bản mới": the latest published documents."""
    return {"documents": list(Document.objects.published().for_listing()[:count])}
