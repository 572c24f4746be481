from django.db import migrations

from portal.groups import make_groups

GROUP = "Văn thư"

# Clerks (Văn thư) publish official documents, their files and the lists they are filed under; nothing else.
PERMISSIONS = [
    ("documents", "add_document"), ("documents", "change_document"), ("documents", "delete_document"), ("documents", "view_document"),
    ("documents", "add_documentfile"), ("documents", "change_documentfile"), ("documents", "delete_documentfile"), ("documents", "view_documentfile"),
    ("documents", "add_documenttype"), ("documents", "change_documenttype"), ("documents", "delete_documenttype"), ("documents", "view_documenttype"),
    ("documents", "add_agency"), ("documents", "change_agency"), ("documents", "delete_agency"), ("documents", "view_agency"),
    ("documents", "add_sector"), ("documents", "change_sector"), ("documents", "delete_sector"), ("documents", "view_sector"),
]


def create_group(apps, schema_editor):
    make_groups(apps, {GROUP: PERMISSIONS})


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_file_text"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
