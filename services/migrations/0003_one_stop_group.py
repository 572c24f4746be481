from django.db import migrations

from portal.groups import make_groups

GROUP = "Một cửa"

# One-stop-shop staff (Một cửa) keep procedures, their forms, dossiers and their status history; nothing else.
PERMISSIONS = [
    ("services", "add_procedure"), ("services", "change_procedure"), ("services", "delete_procedure"), ("services", "view_procedure"),
    ("services", "add_procedureform"), ("services", "change_procedureform"), ("services", "delete_procedureform"), ("services", "view_procedureform"),
    ("services", "add_dossier"), ("services", "change_dossier"), ("services", "delete_dossier"), ("services", "view_dossier"),
    ("services", "add_dossierevent"), ("services", "change_dossierevent"), ("services", "delete_dossierevent"), ("services", "view_dossierevent"),
    ("services", "add_sector"), ("services", "change_sector"), ("services", "delete_sector"), ("services", "view_sector"),
    ("services", "change_servicesettings"), ("services", "view_servicesettings"),
]


def create_group(apps, schema_editor):
    make_groups(apps, {GROUP: PERMISSIONS})


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0002_file_text"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
