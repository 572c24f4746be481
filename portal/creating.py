"""A new unit in one step (docs/units.md "Creating a unit"): `create_unit` makes the unit, its
hosts and settings, then whatever each app sets up for a unit (`<app>/unit_setup.py`)."""

import re

from django.contrib.auth.models import Group
from django.db import transaction

from . import groups, units
from .models import SiteSettings, Unit, UnitHost
from .text import slugify_vi

_HOST = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\]"
)


def check_new_unit(name, kind, hosts, parent=None, code=None):
    """The cleaned (name, kind, hosts, parent, code) of a unit about to be created; raises UnitError."""
    name = " ".join((name or "").split())
    if not name:
        raise units.UnitError("Cần ghi tên đơn vị.", "name")
    if kind not in Unit.Kind.values:
        raise units.UnitError(
            f"Cấp đơn vị không hợp lệ: {kind} (chọn một trong {', '.join(Unit.Kind.values)}).", "kind"
        )
    hosts = [host.strip() for host in hosts if host and host.strip()]
    if not hosts:
        raise units.UnitError("Cần ít nhất một tên miền.", "host")
    for host in hosts:
        if any(char in host for char in "/@?#") or not _HOST.fullmatch(units.host_name(host)):
            raise units.UnitError(f"Tên miền không hợp lệ: {host} (không ghi http:// và đường dẫn).", "host")
    hosts = list(dict.fromkeys(units.host_name(host) for host in hosts))
    taken = UnitHost.objects.filter(name__in=hosts).select_related("unit").first()
    if taken is not None:
        raise units.UnitError(f"Tên miền {taken.name} đã thuộc {taken.unit}.", "host")
    if parent is not None and not isinstance(parent, Unit):
        found = Unit.objects.filter(code=parent).first()
        if found is None:
            raise units.UnitError(f"Không có đơn vị mã {parent}.", "parent")
        parent = found
    if parent is not None and parent.kind != Unit.Kind.PROVINCE:
        raise units.UnitError(f"{parent} không phải là một tỉnh: đơn vị chỉ thuộc một tỉnh.", "parent")
    if parent is not None and kind == Unit.Kind.PROVINCE:
        raise units.UnitError("Một tỉnh không thuộc tỉnh nào.", "parent")
    if code:
        if code != slugify_vi(code):
            raise units.UnitError(
                f"Mã đơn vị chỉ gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ {slugify_vi(code)}.", "code"
            )
        if Unit.objects.filter(code=code).exists():
            raise units.UnitError(f"Mã đơn vị {code} đã có.", "code")
    else:
        base = slugify_vi(name)[:50] or "don-vi"
        code = base
        if Unit.objects.filter(code=code).exists() and parent is not None:
            code = f"{base}-{parent.code}"[:60]
        n = 2
        while Unit.objects.filter(code=code).exists():
            code, n = f"{base}-{n}", n + 1
    return name, kind, hosts, parent, code


def create_unit(name, kind, hosts, parent=None, code=None):
    """A new unit, ready to publish: its hosts (the first is the main one), its settings filled from
    its name, and what every app sets up for a unit (categories, intro pages, a poll...)."""
    name, kind, hosts, parent, code = check_new_unit(name, kind, hosts, parent, code)
    with transaction.atomic():
        unit = Unit.objects.create(name=name, kind=kind, parent=parent, code=code)
        for index, host in enumerate(hosts):
            UnitHost.objects.create(unit=unit, name=host, is_main=index == 0)
        units.forget_hosts()
        for group in groups.ALL:
            Group.objects.get_or_create(name=group)
        with units.active(unit):
            SiteSettings.load()
            for setup in units.app_hooks("setup_unit"):
                setup(unit)
    units.forget_hosts()
    return unit
