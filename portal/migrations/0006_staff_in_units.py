"""Staff work per unit: everyone's groups become their groups in the first unit, and a group for
the province's administrators.

Users keep their own groups too: there they now give rights on the lists every unit shares
(document types, agencies, fields), as before (portal.staff).
"""

from django.db import migrations

from portal.groups import PROVINCE_ADMINS, make_groups

PERMISSIONS = [
    ("portal", "view_unit"),
    ("portal", "view_unithost"),
    ("portal", "add_unitmembership"),
    ("portal", "change_unitmembership"),
    ("portal", "delete_unitmembership"),
    ("portal", "view_unitmembership"),
]


def staff_into_units(apps, schema_editor):
    make_groups(apps, {PROVINCE_ADMINS: PERMISSIONS})
    memberships_from_groups(apps)


def memberships_from_groups(apps):
    Unit = apps.get_model("portal", "Unit")
    UnitMembership = apps.get_model("portal", "UnitMembership")
    User = apps.get_model("auth", "User")
    first = Unit.objects.order_by("pk").first()
    if first is None:
        return
    for user in User.objects.filter(is_staff=True, is_superuser=False).prefetch_related("groups"):
        membership, _ = UnitMembership.objects.get_or_create(user=user, unit=first)
        membership.groups.add(*[group for group in user.groups.all() if group.name != PROVINCE_ADMINS])


def back(apps, schema_editor):
    apps.get_model("portal", "UnitMembership").objects.all().delete()
    apps.get_model("auth", "Group").objects.filter(name=PROVINCE_ADMINS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_unit_membership"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(staff_into_units, back)]
