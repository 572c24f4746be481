"""Demo users and site settings. The passwords are for a local demo only (README)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import units
from .models import SiteSettings, UnitMembership

DEMO_USERS = [
    # username, password, groups, superuser
    ("admin", "KimSon@2026", [], True),
    ("bientap", "BienTap@2026", ["Biên tập viên"], False),
    ("duyetbai", "DuyetBai@2026", ["Duyệt bài"], False),
    ("tiepnhan", "TiepNhan@2026", ["Cán bộ tiếp nhận"], False),
    ("vanthu", "VanThu@2026", ["Văn thư"], False),
    ("motcua", "MotCua@2026", ["Một cửa"], False),
    ("quantritrang", "QuanTriTrang@2026", ["Quản trị trang"], False),
]


def seed(log):
    SiteSettings.load()
    User = get_user_model()
    for username, password, groups, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@kimson.local", "is_staff": True, "is_superuser": superuser},
        )
        if created:
            user.set_password(password)
            user.save()
            log(f"Tạo tài khoản {username}")
        # Groups made by later migrations join on a later run. In the unit they work in, and on
        # their own page (the shared lists' rights), like staff from before units (portal.staff).
        found = Group.objects.filter(name__in=groups)
        user.groups.add(*found)
        if not superuser:
            membership, _ = UnitMembership.objects.get_or_create(user=user, unit_id=units.owner_id())
            membership.groups.add(*found)
