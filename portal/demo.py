"""Demo units, users and site settings. The passwords are for a local demo only (README)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import creating, units
from .models import SiteSettings, Unit, UnitHost, UnitMembership

PROVINCE = ("Ninh Bình", "ninhbinh.localhost")
# The installation's first unit (Kim Sơn, the reference portal's content) answers here too.
FIRST_UNIT_HOST = "kimson.localhost"
# Communes of the province after the 2025 reform, each with a portal of its own.
COMMUNES = [("Kim Đông", "kimdong.localhost"), ("Phát Diệm", "phatdiem.localhost")]


def seed_units(log):
    """The province, the first unit as one of its communes and two more communes: [first, *the others]."""
    first = Unit.objects.order_by("pk").first()
    province = Unit.objects.filter(hosts__name=PROVINCE[1]).first()
    if province is None:
        province = creating.create_unit(PROVINCE[0], Unit.Kind.PROVINCE, [PROVINCE[1]])
        log(f"Tạo đơn vị {province} ({PROVINCE[1]})")
    if first.parent_id is None:
        first.parent, first.kind = province, Unit.Kind.COMMUNE
        first.save()
    if not UnitHost.objects.filter(name=FIRST_UNIT_HOST).exists():
        # The demo's links between portals (the province's "Tin từ các xã") use this name.
        first.hosts.update(is_main=False)
        UnitHost.objects.create(unit=first, name=FIRST_UNIT_HOST, is_main=True)
        log(f"{first} trả lời cả ở {FIRST_UNIT_HOST}")
    others = [province]
    for name, host in COMMUNES:
        unit = Unit.objects.filter(hosts__name=host).first()
        if unit is None:
            unit = creating.create_unit(name, Unit.Kind.COMMUNE, [host], parent=province)
            log(f"Tạo đơn vị {unit} ({host})")
        others.append(unit)
    units.forget_hosts()
    return [first, *others]


DEMO_USERS = [
    # username, password, groups, superuser, the host of the unit they work in (None: the first unit)
    ("admin", "KimSon@2026", [], True, None),
    ("bientap", "BienTap@2026", ["Biên tập viên"], False, None),
    ("duyetbai", "DuyetBai@2026", ["Duyệt bài"], False, None),
    ("tiepnhan", "TiepNhan@2026", ["Cán bộ tiếp nhận"], False, None),
    ("vanthu", "VanThu@2026", ["Văn thư"], False, None),
    ("motcua", "MotCua@2026", ["Một cửa"], False, None),
    ("quantritrang", "QuanTriTrang@2026", ["Quản trị trang"], False, None),
    # Made since units: groups in their unit's membership only.
    ("quantritinh", "QuanTriTinh@2026", ["Quản trị tỉnh"], False, PROVINCE[1]),
    ("bientap.kimdong", "BienTap@2026", ["Biên tập viên"], False, "kimdong.localhost"),
]


def serving():
    """The unit a demo `seed` writes for: the one being served (seed_demo), else the first unit."""
    return units.current() or Unit.objects.select_related("parent").get(pk=units.owner_id())


def reword(row, values, log):
    """Put `values` in the settings row's fields that still hold their default: the installation's
    first unit's defaults speak of a huyện, and the demo's Kim Sơn is a commune now. A field an
    operator has edited stays as it is, and a second run changes nothing."""
    changed = [
        name
        for name, value in values.items()
        if getattr(row, name) == row._meta.get_field(name).default and getattr(row, name) != value
    ]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save(update_fields=changed)
        log(f"{row._meta.verbose_name}: ghi theo cấp đơn vị ({', '.join(changed)})")


# The site settings that name the unit and its kind; the phone, e-mail and licence the demo keeps.
UNIT_WORDS = ["unit_level", "welcome_line", "agency", "address", "responsible_person"]


def seed(log):
    site = SiteSettings.load()
    values = SiteSettings.initial_values(serving())
    reword(site, {name: values[name] for name in UNIT_WORDS}, log)
    User = get_user_model()
    for username, password, groups, superuser, host in DEMO_USERS:
        unit_id = Unit.objects.get(hosts__name=host).pk if host else units.owner_id()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@{(host or FIRST_UNIT_HOST).split('.')[0]}.local",
                "is_staff": True,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save()
            log(f"Tạo tài khoản {username}")
        # Groups made by later migrations join on a later run. In the unit they work in; the first
        # unit's staff also on their own page (the shared lists' rights), like staff from before
        # units (portal.staff).
        found = Group.objects.filter(name__in=groups)
        if host is None:
            user.groups.add(*found)
        if not superuser:
            membership, _ = UnitMembership.objects.get_or_create(user=user, unit_id=unit_id)
            membership.groups.add(*found)
