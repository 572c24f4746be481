"""Staff groups made by data migrations, each with exactly the permissions its work needs."""

from django.contrib.auth.management import create_permissions

# The staff groups' names, as the data migrations create them.
EDITORS = "Biên tập viên"
APPROVERS = "Duyệt bài"
RECEPTION = "Cán bộ tiếp nhận"
CLERKS = "Văn thư"
ONE_STOP = "Một cửa"
SITE_PAGES = "Quản trị trang"
ALL = (EDITORS, APPROVERS, RECEPTION, CLERKS, ONE_STOP, SITE_PAGES)
# The groups a unit's staff work in (portal.staff): the ones above, given per unit.
STAFF_GROUPS = ALL
# A province's administrators: its communes' staff and hosts (portal/migrations/0006).
PROVINCE_ADMINS = "Quản trị tỉnh"


def make_groups(apps, groups):
    """Create or update `groups` ({name: [(app_label, codename), ...]}) inside a migration.

    Django creates permissions after all migrations have run; a data migration that hands them
    out makes them first.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in groups.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in permissions]
        )


# Each group's work in a unit, as the admin's forms describe it next to its name.
WORK = {
    EDITORS: "viết bài, gửi duyệt",
    APPROVERS: "duyệt, đăng, gỡ và xóa bài; chuyên mục",
    RECEPTION: "tiếp nhận và trả lời phản ánh, kiến nghị",
    CLERKS: "văn bản và tệp văn bản",
    ONE_STOP: "thủ tục, biểu mẫu, hồ sơ một cửa",
    SITE_PAGES: "trang giới thiệu, lãnh đạo, lịch công tác, liên hệ",
    PROVINCE_ADMINS: "tài khoản và nhóm của cán bộ tỉnh và các xã, phường",
}


def described(group):
    """A group's name with its work ("Biên tập viên — viết bài, gửi duyệt"), for choosing it."""
    work = WORK.get(group.name)
    return f"{group.name} — {work}" if work else group.name
