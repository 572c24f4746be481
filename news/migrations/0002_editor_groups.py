from django.db import migrations

from portal.groups import make_groups

EDITORS = "Biên tập viên"
APPROVERS = "Duyệt bài"

GROUP_PERMISSIONS = {
    # Editors write and edit drafts and submit them; they cannot publish.
    EDITORS: [
        ("news", "add_article"), ("news", "change_article"), ("news", "view_article"),
        ("news", "view_category"),
    ],
    # Approvers publish and unpublish, and look after the category tree.
    APPROVERS: [
        ("news", "add_article"), ("news", "change_article"), ("news", "view_article"),
        ("news", "delete_article"), ("news", "publish_article"),
        ("news", "add_category"), ("news", "change_category"), ("news", "view_category"),
    ],
}


def create_groups(apps, schema_editor):
    make_groups(apps, GROUP_PERMISSIONS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
