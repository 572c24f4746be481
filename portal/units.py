"""Which unit (province, commune, ward) a request is for, and the rows it may see (docs/units.md).

One installation serves many unit portals. A request's host names its unit (`UnitHost`); while it
is being answered, `current()` is that unit and every unit-owned model's default manager shows
only that unit's rows, Django's cache keys carry the unit, and new rows belong to it. Outside a
request (management commands, the counters' flusher) no unit is active: managers show every unit
and new rows go to the first unit unless the code activates one (`with active(unit):`).

An installation with a single unit answers on every allowed host, exactly as before units
existed; once there are two, a host no unit claims gets a plain 404.
"""

import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import connection, models
from django.http import HttpResponseNotFound, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.template import loader

from .text import strip_diacritics

_current = ContextVar("unit", default=None)
HOSTS_SECONDS = 10
UNKNOWN_HOST_SECONDS = 1


def current():
    """The unit being served, or None outside a request."""
    return _current.get()


def current_id():
    unit = _current.get()
    return unit.pk if unit is not None else None


def owner_id():
    """The unit new rows belong to: the one being served, else the first unit (a single-unit
    installation's only one)."""
    unit = _current.get()
    if unit is not None:
        return unit.pk
    return first_unit_id()


_first = []


def first_unit_id():
    """The oldest unit's id (plain SQL: migrations call it too, whatever the model has become)."""
    if not _first:
        with connection.cursor() as cursor:
            cursor.execute("SELECT MIN(id) FROM portal_unit")
            found = cursor.fetchone()[0]
        if found is None:
            return None
        _first.append(found)
    return _first[0]


@contextmanager
def active(unit):
    """Serve `unit` (a Unit, its id, or None for every unit) inside the block."""
    if unit is not None and not hasattr(unit, "pk"):
        unit = _hosts().units.get(unit) or _unit_model().objects.get(pk=unit)
    token = _current.set(unit)
    try:
        yield unit
    finally:
        _current.reset(token)


def _unit_model():
    return apps.get_model("portal", "Unit")


class _Hosts:
    """This process's copy of the units and their host names, read again every HOSTS_SECONDS
    (or at once when this process changed a unit)."""

    def __init__(self):
        Unit = _unit_model()
        self.units = {unit.pk: unit for unit in Unit.objects.select_related("parent").order_by("pk")}
        hosts = Unit.hosts.rel.related_model.objects.order_by("-is_main", "pk").values_list("name", "unit_id")
        self.by_name = {name: self.units[unit_id] for name, unit_id in hosts if unit_id in self.units}
        self.main = {}  # unit id -> the host its links name (UnitHost.is_main first)
        for name, unit_id in hosts:
            self.main.setdefault(unit_id, name)
        self.first_id = next(iter(self.units), None)
        self.children = {}  # unit id -> its communes and wards, by name
        for unit in sorted(self.units.values(), key=lambda unit: (strip_diacritics(unit.name).lower(), unit.name)):
            if unit.parent_id is not None:
                self.children.setdefault(unit.parent_id, []).append(unit)
        self.read_at = time.monotonic()


_lock = threading.Lock()
_kept = None


def _hosts(max_age=HOSTS_SECONDS):
    global _kept
    kept = _kept
    if kept is None or not kept.units or time.monotonic() - kept.read_at > max_age:
        asked = time.monotonic()
        with _lock:
            kept = _kept  # the threads that waited use the copy read while they waited
            if kept is None or kept.read_at < asked:
                kept = _kept = _Hosts()
    return kept


def forget_hosts(**kwargs):
    """A unit or host changed in this process: read them again on the next request."""
    global _kept
    _kept = None
    _first.clear()


def host_name(host):
    """`Kimson.Localhost.:8000` -> `kimson.localhost`."""
    host = host.lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rpartition(":")[0].rstrip(".") if ":" in host else host.rstrip(".")


def for_host(host):
    """The unit that answers `host` (a Host header), or None."""
    name = host_name(host)
    kept = _hosts()
    if name not in kept.by_name and len(kept.units) != 1:
        # A unit another process has just added answers at once; unknown hosts cost one read a second.
        kept = _hosts(max_age=UNKNOWN_HOST_SECONDS)
    unit = kept.by_name.get(name)
    if unit is None and len(kept.units) == 1:
        unit = kept.units[kept.first_id]
    return unit


def get(unit_id):
    return _hosts().units.get(unit_id)


def all_units():
    return list(_hosts().units.values())


def main_host(unit_id):
    """The host name links to a unit use, or "" when it has none."""
    return _hosts().main.get(unit_id, "")


def url_on(unit_id, request, path="/"):
    """`path` on the portal of `unit_id`, absolute, with the request's scheme and port (so that
    `ninhbinh.localhost:8000` links to `kimson.localhost:8000`); "" when the unit has no host."""
    host = main_host(unit_id)
    if not host:
        return ""
    if request is not None and getattr(request, "unit", None) is not None and request.unit.pk == unit_id:
        return path  # this portal's own pages: the usual relative link
    scheme, port = ("http", "") if request is None else (request.scheme, _port(request.get_host()))
    return f"{scheme}://{host}{port}{path}"


def _port(host):
    """`:8000` of `ninhbinh.localhost:8000`; "" when the Host names none."""
    if host.endswith("]") or ":" not in host:
        return ""
    return ":" + host.rpartition(":")[2]


def children_of(unit_id):
    """The units whose parent is `unit_id` (a province's communes and wards), by name."""
    return list(_hosts().children.get(unit_id, ()))


def unit_id_of(instance):
    """The unit a row belongs to: its own `unit_id`, else its parent's (a poll's option, a document's
    file: one query unless the parent is loaded), else None (a global row: a sector, a user)."""
    unit_id = getattr(instance, "unit_id", None)
    if unit_id is not None:
        return unit_id
    for field in instance._meta.concrete_fields:
        if not field.is_relation or not field.many_to_one and not field.one_to_one:
            continue
        parent_model = field.related_model
        if parent_model is None or "unit" not in {f.name for f in parent_model._meta.concrete_fields}:
            continue
        parent_id = getattr(instance, field.attname)
        if parent_id is None:
            continue
        parent = field.get_cached_value(instance, None)
        if parent is not None:
            return parent.unit_id
        return parent_model._base_manager.filter(pk=parent_id).values_list("unit_id", flat=True).first()
    return None


class UnitMiddleware:
    """Finds the request's unit before anything reads content (the page cache included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unit = for_host(request.get_host())
        if unit is None:
            return HttpResponseNotFound(loader.get_template("unknown_host.html").render())
        if unit.merged_into_id:
            return moved(request, unit)
        request.unit = unit
        token = _current.set(unit)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class UnitManager(models.Manager):
    """A unit-owned model's default manager: the current unit's rows only (all outside a request)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        unit_id = current_id()
        return queryset if unit_id is None else queryset.filter(unit_id=unit_id)


def unit_field():
    return models.ForeignKey(
        "portal.Unit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        default=owner_id,
        related_name="+",
        editable=False,
    )


def cache_key(key, key_prefix, version):
    """Django's cache keys carry the unit, so a value kept for one portal never shows on another."""
    return f"{key_prefix}:{version}:{owner_id() or 0}:{key}"


def managers(queryset_class=models.QuerySet):
    """`objects, every_unit = units.managers(ArticleQuerySet)`: the default manager (this unit's rows)
    and one that sees every unit's, both with the model's own queryset methods."""
    return UnitManager.from_queryset(queryset_class)(), queryset_class.as_manager()


def moved(request, unit):
    """A merged unit's host: every address answers with a permanent redirect to where its object
    now lives on the unit it was merged into (`MovedPath`), else to the same path there."""
    MovedPath = _unit_model().moved_paths.rel.related_model
    path = request.path
    prefixes = [path[: i + 1] for i, char in enumerate(path) if char == "/"]
    found = dict(MovedPath.objects.filter(unit=unit, path__in=[path, *prefixes]).values_list("path", "target"))
    if path in found:
        path = found[path]
    else:
        # The longest moved address this one starts with: a category's feed, a list's later page.
        start = max((prefix for prefix in prefixes if prefix in found), key=len, default=None)
        if start is not None:
            path = found[start] + path[len(start) :]
    host = main_host(unit.merged_into_id) or host_name(request.get_host())
    location = f"{request.scheme}://{host}{_port(request.get_host())}{path}"
    if request.META.get("QUERY_STRING"):
        location += "?" + request.META["QUERY_STRING"]
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(location)
    response = HttpResponseRedirect(location)
    response.status_code = 308  # a form sent to the old host is sent again, unchanged, to the new one
    return response


# What apps do for units: `<app>/unit_setup.py` may define `setup_unit(unit)` (a new unit's
# defaults: categories, intro pages, a poll...), `before_merge(olds, new)` (write out what they hold
# in memory) and `after_merge(olds, new)` (drop what they kept); found at first use, in
# INSTALLED_APPS order, like search_indexes.
_hooks = {}


def app_hooks(name):
    """The `name` functions of every app's `unit_setup` module."""
    if name not in _hooks:
        found = []
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.unit_setup"
            if find_spec(module_name) is not None and hasattr(import_module(module_name), name):
                found.append(getattr(import_module(module_name), name))
        _hooks[name] = found
    return _hooks[name]


class UnitError(ValueError):
    """A unit cannot be created or merged as asked; the message says why, in Vietnamese."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field
