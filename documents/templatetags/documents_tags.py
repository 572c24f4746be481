from django import template
from django.utils import timezone

from documents.models import Document
from portal import fragments

register = template.Library()


@register.inclusion_tag("documents/side_latest.html")
def latest_documents(count=5):
    """The sidebar's "Văn bản mới": the latest published documents, kept with the sidebar
    (portal.fragments) until the next scheduled one appears."""
    scheduled = Document.objects.filter(is_published=True, publish_at__gt=timezone.now())
    fragments.changes_at(lambda: scheduled.order_by("publish_at").values_list("publish_at", flat=True).first())
    return {"documents": list(Document.objects.published().for_listing()[:count])}
