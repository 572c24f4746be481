"""The admin, served per unit: on a unit's host it shows and changes that unit's rows only.

Every model admin registered on the site (the project's and third-party apps') gets
`UnitScopedAdmin` in front of its own class, so no admin can forget it: lists, object pages,
foreign-key pickers, autocomplete, history and "recover deleted" see the unit's rows only, and an
object of another unit is a 404. Unit-owned models' default managers already scope most of it; the
rows under them (transitions, logs, votes, ratings) and the units' own records are cut here.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import JSONField
from django.db.models.functions import Cast
from django.http import Http404
from reversion.models import Version

from . import staff, units
from .models import DeletedRowUnit, UnitHost

# Links to the user's other units in the header; a province's administrator may have a hundred.
OTHER_UNITS_SHOWN = 8


def request_unit(request):
    return getattr(request, "unit", None) or units.get(units.owner_id())


class UnitScopedAdmin:
    """Mixed into every registered ModelAdmin by PortalAdminSite.register, in front of its class (so
    it sets no attributes of its own). A model admin's `any_staff_fields` names foreign keys to
    users that may name any staff account, not only the unit's (the staff list's own)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser and queryset.model._meta.label_lower in staff.UNIT_ADMINISTRATION:
            return queryset  # superusers administer every unit, its hosts and staff, from any host
        return staff.in_reach(queryset, request_unit(request))

    def get_field_queryset(self, db, db_field, request):
        """Foreign-key and many-to-many choices: the unit's rows, and for people its staff."""
        queryset = super().get_field_queryset(db, db_field, request)
        target = db_field.remote_field.model
        if queryset is None:
            queryset = target._default_manager.using(db).all()
        unit = request_unit(request)
        if request.user.is_superuser and target._meta.label_lower in staff.UNIT_ADMINISTRATION:
            return queryset
        if target is get_user_model():
            if db_field.name in getattr(self, "any_staff_fields", ()):
                return queryset
            return queryset.filter(staff.members(staff.reach(self.model, unit))).distinct()
        return staff.in_reach(queryset, unit)

    def get_list_filter(self, request):
        # Filters on people or units list only those the unit's rows name, not every account.
        people = (get_user_model(), units._unit_model())
        return [
            (name, admin.RelatedOnlyFieldListFilter)
            if isinstance(name, str) and "__" not in name and _target(self.model, name) in people
            else name
            for name in super().get_list_filter(request)
        ]

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index for a missing object; another unit's object is a 404,
        # so its pages neither show nor hint at it.
        try:
            elsewhere = self.model._base_manager.filter(pk=unquote(object_id)).exists()
        except (ValidationError, ValueError):
            elsewhere = False
        if elsewhere:
            raise Http404("Không có mục này trong đơn vị.")
        return super()._get_obj_does_not_exist_redirect(request, opts, object_id)

    def log_deletions(self, request, queryset):
        """Django's log entries for rows about to be deleted, each with the unit the row belongs to
        (`DeletedRowUnit`): once it is gone, that is where its deletion shows."""
        entries = super().log_deletions(request, queryset)
        path = staff.unit_path(self.model)
        if path is None or not entries:
            return entries
        owners = dict(self.model._base_manager.filter(pk__in=[obj.pk for obj in queryset]).values_list("pk", path))
        owners = {str(pk): unit_id for pk, unit_id in owners.items()}
        DeletedRowUnit.objects.bulk_create(
            [
                DeletedRowUnit(entry_id=entry.pk, unit_id=owners[str(entry.object_id)])
                for entry in entries  # object_id: as given (the pk), until read back as text
                if entry.pk is not None and owners.get(str(entry.object_id)) is not None
            ]
        )
        return entries

    # django-reversion's pages (VersionAdmin) read versions by id: each must be of this unit.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404("Không có mục này trong đơn vị.")
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = Version.objects.filter(pk=version_id).first()
        if version is None or not self._version_in_unit(request, version):
            raise Http404("Không có mục đã xoá này trong đơn vị.")
        return super().recover_view(request, version_id, extra_context)

    def _reversion_order_version_queryset(self, request, queryset):
        ordered = super()._reversion_order_version_queryset(request, queryset)
        if request.resolver_match and request.resolver_match.url_name.endswith("_recoverlist"):
            return self._versions_in_unit(request, ordered)
        return ordered

    def _versions_in_unit(self, request, versions):
        """`versions` (a queryset) cut to those `_version_in_unit` accepts, in the database: the
        `unit` stored in each version's JSON is read by the query, so another unit's deletions are
        neither loaded nor unpacked."""
        path = staff.unit_path(self.model)
        if path != "unit":
            return versions if not path else versions.none()
        reachable = staff.reach(self.model, request_unit(request))
        data = Cast("serialized_data", JSONField())
        return versions.filter(format="json").alias(_stored=data).filter(_stored__0__fields__unit__in=reachable)

    def _version_in_unit(self, request, version):
        if staff.unit_path(self.model) != "unit":
            return not staff.unit_path(self.model)
        try:
            unit_id = version.field_dict.get("unit_id")
        except Exception:  # noqa: BLE001 - a version that no longer reads belongs to no unit
            return False
        return unit_id in staff.reach(self.model, request_unit(request))


def _target(model, name):
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a filter that is no field (a method, a class)
        return None
    return field.related_model if field.is_relation else None


class PortalAdminSite(admin.AdminSite):
    """Django's admin site, entered by the unit's staff only, with the unit named in the header."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, UnitScopedAdmin):
            admin_class = type(
                admin_class.__name__,
                (UnitScopedAdmin, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        return super().has_permission(request) and staff.may_enter(request.user, request_unit(request))

    def each_context(self, request):
        context = super().each_context(request)
        unit = request_unit(request)
        context["current_unit"] = unit
        if request.user.is_authenticated and context["has_permission"] and len(units.all_units()) > 1:
            others = [u for u in staff.units_of(request.user) if u != unit]
            context["other_units"] = admin_links(request, others[:OTHER_UNITS_SHOWN])
            context["more_units"] = max(len(others) - OTHER_UNITS_SHOWN, 0)
        return context


def admin_links(request, others):
    """[(unit, the address of its admin)] on each unit's main host, keeping the request's port."""
    hosts = {}
    for unit_id, name in (
        UnitHost.objects.filter(unit__in=others).order_by("-is_main", "pk").values_list("unit_id", "name")
    ):
        hosts.setdefault(unit_id, name)
    port = request.get_port()
    suffix = "" if port in ("80", "443") else f":{port}"
    return [
        (unit, f"{request.scheme}://{hosts[unit.pk]}{suffix}/{settings.ADMIN_URL}")
        for unit in others
        if unit.pk in hosts
    ]
