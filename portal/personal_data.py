"""One citizen's data exported or erased on request, from any app's admin (Nghị định 13/2023/NĐ-CP).

Staff search the changelist for the citizen's phone or e-mail, tick the rows and run an action;
each app says which fields its export holds and how its rows are erased.
"""

import csv
import io
import json
from datetime import date, datetime

from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from .files import attachment_header

ERASE_TEMPLATE = "admin/erase_personal_data.html"


def _text(obj, name):
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if display else getattr(obj, name)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, FieldFile):
        return value.name or ""
    return "" if value is None else str(value)


def export(queryset, fields, fmt, stem):
    """A JSON or CSV download of `fields` ((name, Vietnamese label), ...) for each row."""
    rows = [{label: _text(obj, name) for name, label in fields} for obj in queryset]
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, indent=2)
        content_type = "application/json; charset=utf-8"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[label for _, label in fields])
        writer.writeheader()
        writer.writerows(rows)
        body = "\ufeff" + buffer.getvalue()  # the BOM makes spreadsheet programs read Vietnamese as UTF-8
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = attachment_header(f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}")
    response["Cache-Control"] = "no-store"
    return response


def confirm_erase(modeladmin, request, queryset, erase):
    """The erase action: a confirmation page first, then `erase(obj)` for each selected row."""
    opts = modeladmin.model._meta
    if request.POST.get("post") == "yes":
        count = 0
        for obj in queryset:
            erase(obj)
            count += 1
        modeladmin.message_user(
            request, f"Đã xoá dữ liệu cá nhân của {count} {opts.verbose_name.lower()}.", messages.SUCCESS
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Xoá dữ liệu cá nhân theo yêu cầu",
        "opts": opts,
        "objects": queryset,
        "action": request.POST.get("action", ""),
        "selected": request.POST.getlist("_selected_action"),
    }
    return TemplateResponse(request, ERASE_TEMPLATE, context)
