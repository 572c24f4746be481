from django import template

from documents.models import Document, next_publish_at
from portal import fragments

register = template.Library()


@register.inclusion_tag("documents/side_latest.html")
def latest_documents(count=5):
    """The sidebar's "Văn bản mới": the latest published documents, kept with the sidebar
    (portal.fragments) until the next scheduled one appears."""
    fragments.changes_at(next_publish_at)
    return {"documents": list(Document.objects.published().for_listing()[:count])}
