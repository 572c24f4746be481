"""A province's administrators make and edit the accounts of the province's staff (portal.staff)."""

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
ACCOUNTS = [("auth", "add_user"), ("auth", "change_user"), ("auth", "view_user")]


def forward(apps, schema_editor):
    make_groups(apps, {PROVINCE_ADMINS: [*PERMISSIONS, *ACCOUNTS]})


def back(apps, schema_editor):
    make_groups(apps, {PROVINCE_ADMINS: PERMISSIONS})


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_staff_in_units"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forward, back)]
