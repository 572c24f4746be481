from django.db import migrations

from portal.groups import make_groups

GROUP = "Quản trị trang"

# Page keepers (Quản trị trang) edit the intro pages, leaders, contact details and the work schedule; nothing else.
PERMISSIONS = [
    ("pages", "add_page"), ("pages", "change_page"), ("pages", "delete_page"), ("pages", "view_page"),
    ("pages", "add_leader"), ("pages", "change_leader"), ("pages", "delete_leader"), ("pages", "view_leader"),
    ("pages", "add_scheduleentry"), ("pages", "change_scheduleentry"), ("pages", "delete_scheduleentry"), ("pages", "view_scheduleentry"),
    ("pages", "change_contactdetails"), ("pages", "view_contactdetails"),
]


def create_group(apps, schema_editor):
    make_groups(apps, {GROUP: PERMISSIONS})


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
