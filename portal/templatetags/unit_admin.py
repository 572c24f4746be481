"""The admin index's "recent actions", cut to the unit being served (portal.sites)."""

from collections import defaultdict

from django import template
from django.contrib.admin.models import LogEntry

from portal import staff
from portal.models import DeletedRowUnit
from portal.sites import request_unit

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_admin_log(context, limit=10):
    """The user's latest admin actions on this unit's rows and on shared lists. A deleted row shows
    in the admin of the unit it belonged to, recorded when it was deleted (`DeletedRowUnit`); a
    deletion logged before units kept it, or an entry whose row is gone since, names no unit and is
    left out."""
    request = context["request"]
    entries = list(
        LogEntry.objects.filter(user=request.user).select_related("content_type", "deleted_row_unit")[: limit * 5]
    )
    wanted = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type else None
        if model is not None and not staff.is_shared(model) and not entry.is_deletion():
            wanted[model].add(entry.object_id)
    unit = request_unit(request)
    here = {
        (model, str(pk))
        for model, ids in wanted.items()
        for pk in staff.in_reach(model._base_manager.filter(pk__in=ids), unit).values_list("pk", flat=True)
    }
    shown = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type else None
        if model is None:
            continue
        if staff.is_shared(model) or (model, entry.object_id) in here or _deleted_here(entry, model, unit):
            shown.append(entry)
    return shown[:limit]


def _deleted_here(entry, model, unit):
    if not entry.is_deletion():
        return False
    try:
        recorded = entry.deleted_row_unit
    except DeletedRowUnit.DoesNotExist:
        return False
    return recorded.unit_id in staff.reach(model, unit)
