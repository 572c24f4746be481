from django.db import migrations

from portal.groups import make_groups

RECEPTION = "Cán bộ tiếp nhận"

# Reception staff read and process feedback and read its log; nothing else.
PERMISSIONS = [
    ("feedback", "view_feedback"),
    ("feedback", "change_feedback"),
    ("feedback", "view_feedbacklog"),
]


def create_group(apps, schema_editor):
    make_groups(apps, {RECEPTION: PERMISSIONS})


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=RECEPTION).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
