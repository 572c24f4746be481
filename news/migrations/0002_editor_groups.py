from django.contrib.auth.management import create_permissions
from django.db import migrations

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
    # Permissions are normally created after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
