"""Staff per unit: who may enter a unit's admin, and with which rights (docs/units.md "Staff per unit").

A staff member works in a unit through a `UnitMembership` row, whose groups say what they may do
there. Rights on a unit's content (articles, documents, dossiers ... and the rows under them) come
only from the membership in the unit being served. Lists every unit shares (document types,
agencies, fields, user accounts) belong to no unit: staff may see and pick them, and only
superusers and the user's own groups and rights ("Nhóm" and "Quyền" on the user's page) change
them. A province administrator ("Quản trị tỉnh" in the province's membership) also works in the
province's communes with that group's rights: their staff and hosts, and the accounts of the
province's staff (`accounts_administered`).
"""

from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from . import units
from .groups import PROVINCE_ADMINS, STAFF_GROUPS

# Rows a province's administrator keeps for its communes too (units, their hosts, their staff).
UNIT_ADMINISTRATION = {"portal.unit", "portal.unithost", "portal.unitmembership"}
# A shared list "Quản trị tỉnh" changes, not only sees: the accounts of the province's staff (the
# user admin shows an administrator those only, `accounts_administered`).
ACCOUNTS = {"auth.user"}


@cache
def unit_path(model):
    """The lookup from `model` to the unit its rows belong to ("unit", "article__unit", "pk" for
    units themselves), or None for a list every unit shares."""
    if model._meta.label_lower == "portal.unit":
        return "pk"
    fields = [f for f in model._meta.fields if f.is_relation and f.related_model not in (None, model)]
    for field in fields:
        if field.name == "unit" and field.related_model._meta.label_lower == "portal.unit":
            return "unit"
    for field in fields:
        if not field.null:
            path = unit_path(field.related_model)
            if path is not None:
                return f"{field.name}__{path}"
    return None


def is_shared(model):
    return unit_path(model) is None


def reach(model, unit):
    """The units whose `model` rows the admin of `unit` shows: the unit itself, and for the
    province's administration rows also its communes."""
    if unit is None:
        return []
    if model._meta.label_lower in UNIT_ADMINISTRATION and unit.kind == "tinh":
        return [unit.pk, *(u.pk for u in units.all_units() if u.parent_id == unit.pk)]
    return [unit.pk]


def in_reach(queryset, unit):
    """`queryset` cut to the rows the admin of `unit` may show (shared lists are left whole)."""
    path = unit_path(queryset.model)
    if path is None:
        return queryset
    return queryset.filter(**{f"{path}__in": reach(queryset.model, unit)})


def members(unit_ids):
    """Condition on users: staff with a membership in one of `unit_ids`."""
    return Q(unit_memberships__unit_id__in=unit_ids)


def may_enter(user, unit):
    """Whether `user` may use the admin of `unit`: superusers, the unit's staff, and the
    administrators of its province."""
    if not (user.is_active and user.is_staff) or unit is None:
        return False
    if user.is_superuser:
        return True
    known = user.__dict__.setdefault("_units_entered", {})
    if unit.pk not in known:
        province = Q(unit_id=unit.parent_id, groups__name=PROVINCE_ADMINS) if unit.parent_id else Q(pk__in=[])
        known[unit.pk] = user.unit_memberships.filter(Q(unit_id=unit.pk) | province).exists()
    return known[unit.pk]


def units_of(user):
    """The units `user` works in, oldest first: their memberships' and, for a province's
    administrator, its communes (superusers: every unit)."""
    if user.is_superuser:
        return units.all_units()
    ids, provinces = set(), set()
    for unit_id, group in user.unit_memberships.values_list("unit_id", "groups__name"):
        ids.add(unit_id)
        if group == PROVINCE_ADMINS:
            provinces.add(unit_id)
    return [unit for unit in units.all_units() if unit.pk in ids or unit.parent_id in provinces]


def administered_units(user, unit):
    """The units in whose memberships `user` gives staff groups from the admin of `unit`, as ids:
    for an administrator of the unit's province, the province and its communes on the province's
    host, the commune on a commune's (`reach`); superusers, every unit; anyone else, none."""
    if unit is None or not (user.is_active and user.is_staff):
        return []
    if user.is_superuser:
        return [u.pk for u in units.all_units()]
    province = _province_of(unit)
    if province is None or province.kind != "tinh":
        return []
    known = user.__dict__.setdefault("_province_administered", {})
    if province.pk not in known:
        known[province.pk] = user.unit_memberships.filter(unit_id=province.pk, groups__name=PROVINCE_ADMINS).exists()
    return reach(apps.get_model("portal", "UnitMembership"), unit) if known[province.pk] else []


def accounts_administered(user, unit):
    """The accounts `user` edits from the admin of `unit`: for a superuser every account; for a
    province's administrator the staff of the units they administer there (`administered_units`)
    whose every right is one the administrator could have given — no superuser, no membership
    outside the province, no group in a membership beyond the staff groups ("Quản trị tỉnh": the
    administrators themselves; a group a superuser made), no right of their own beyond seeing the
    shared lists; anyone else, none."""
    User = get_user_model()
    if user.is_superuser:
        return User.objects.all()
    here = administered_units(user, unit)
    if not here:
        return User.objects.none()
    Membership = apps.get_model("portal", "UnitMembership")
    province = _province_of(unit)
    return _no_rights_beyond_staff_groups(
        User.objects.filter(is_superuser=False, pk__in=Membership.objects.filter(unit_id__in=here).values("user_id"))
        .exclude(pk=user.pk)
        .exclude(pk__in=Membership.objects.exclude(unit_id__in=reach(Membership, province)).values("user_id")),
        user,
    )


def accounts_to_place(user, unit):
    """The accounts `user` gives a membership in "Cán bộ của đơn vị" from the admin of `unit`:
    superusers, any active staff account that is not a superuser; a province's administrator, the
    active accounts they edit in the province (`accounts_administered`, on a commune's host too) and
    active staff accounts that work nowhere (no membership) and hold no right of their own beyond
    seeing the shared lists — nobody's yet, and placing one gives nothing a new account would not."""
    User = get_user_model()
    active = User.objects.filter(is_active=True, is_superuser=False)
    if user.is_superuser:
        return active.filter(is_staff=True)
    province = _province_of(unit)
    if province is None or not administered_units(user, province):
        return User.objects.none()
    nowhere = _no_rights_beyond_staff_groups(active.filter(is_staff=True, unit_memberships=None), user)
    return active.filter(Q(pk__in=accounts_administered(user, province).values("pk")) | Q(pk__in=nowhere.values("pk")))


def _province_of(unit):
    if unit is None or unit.kind == "tinh":
        return unit
    return units.get(unit.parent_id) if unit.parent_id else None


def _no_rights_beyond_staff_groups(accounts, user):
    """`accounts` without those holding a right an administrator cannot give: a group beyond the
    staff groups in a membership, or on their own page a right that changes a shared list."""
    User = get_user_model()
    Through = apps.get_model("portal", "UnitMembership").groups.through
    beyond = user.__dict__.get("_rights_beyond_units")
    if beyond is None:
        beyond = user.__dict__["_rights_beyond_units"] = _rights_beyond_units()
    return (
        accounts.exclude(pk__in=Through.objects.exclude(group__name__in=STAFF_GROUPS).values("unitmembership__user_id"))
        .exclude(pk__in=User.user_permissions.through.objects.filter(permission_id__in=beyond).values("user_id"))
        .exclude(pk__in=User.groups.through.objects.filter(group__permissions__in=beyond).values("user_id"))
    )


def _rights_beyond_units():
    """Ids of the rights a user's own page gives that no membership gives: changing a shared list."""
    return [
        pk
        for pk, app, model in Permission.objects.exclude(codename__startswith="view_").values_list(
            "pk", "content_type__app_label", "content_type__model"
        )
        if _shared_model(app, model)
    ]


def users_with_perm(perm, unit_id):
    """Active staff who hold `perm` ("news.publish_article") in the unit, through its membership."""
    app_label, codename = perm.split(".", 1)
    rights = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            unit_memberships__unit_id=unit_id,
            unit_memberships__groups__permissions__in=rights,
        )
        .distinct()
    )


def _shared_model(app_label, model_name):
    try:
        return is_shared(apps.get_model(app_label, model_name))
    except LookupError:
        return True


def _named(permissions):
    return permissions.values_list("content_type__app_label", "content_type__model", "codename").distinct()


class UnitPermissionBackend(ModelBackend):
    """Django's permissions, per unit: a user's rights in the unit being served (the first unit
    outside a request) are the groups of their membership there, plus their own rights on shared
    lists. Superusers have every right everywhere."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj)
        unit_id = units.owner_id()
        kept = user_obj.__dict__.setdefault("_unit_perm_cache", {})
        if unit_id not in kept:
            kept[unit_id] = self._own_permissions(user_obj) | self._unit_permissions(user_obj, unit_id)
        return kept[unit_id]

    def get_user_permissions(self, user_obj, obj=None):
        if user_obj.is_superuser or not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return super().get_user_permissions(user_obj, obj)
        return self._own_permissions(user_obj)

    def get_group_permissions(self, user_obj, obj=None):
        return self.get_all_permissions(user_obj, obj)

    def _own_permissions(self, user):
        """The user's own rights and their groups' ("Nhóm"), on shared lists only."""
        found = Permission.objects.filter(Q(user=user) | Q(group__user=user))
        return {f"{app}.{codename}" for app, model, codename in _named(found) if _shared_model(app, model)}

    def _unit_permissions(self, user, unit_id):
        unit = units.get(unit_id)
        if unit is None:
            return set()
        groups = Q(group__unit_memberships__user=user, group__unit_memberships__unit_id=unit_id)
        if unit.parent_id:
            groups |= Q(
                group__name=PROVINCE_ADMINS,
                group__unit_memberships__user=user,
                group__unit_memberships__unit_id=unit.parent_id,
            )
        # A unit's staff see and pick the shared lists; changing them is not a unit's business,
        # but for the staff's accounts in a province's administrators' hands.
        found = Permission.objects.filter(groups).values_list(
            "content_type__app_label", "content_type__model", "codename", "group__name"
        )
        return {
            f"{app}.{codename}"
            for app, model, codename, group in found.distinct()
            if codename.startswith("view_")
            or not _shared_model(app, model)
            or (group == PROVINCE_ADMINS and f"{app}.{model}" in ACCOUNTS)
        }

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        raise NotImplementedError("Rights depend on the unit: use portal.staff.users_with_perm(perm, unit_id).")
