"""Units: the installation's existing portal becomes its first unit, with the hosts it answered on."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import portal.units
from portal.text import slugify_vi

KINDS = {"tỉnh": "tinh", "xã": "xa", "phường": "phuong", "đặc khu": "dac-khu", "huyện": "huyen"}


def first_unit(apps, schema_editor):
    Unit = apps.get_model("portal", "Unit")
    UnitHost = apps.get_model("portal", "UnitHost")
    SiteSettings = apps.get_model("portal", "SiteSettings")
    existing = SiteSettings.objects.filter(pk=1).first()
    name = existing.unit_name if existing else "Kim Sơn"
    kind = KINDS.get((existing.unit_level if existing else "Huyện").strip().lower(), "xa")
    unit = Unit.objects.create(name=name, kind=kind, code=slugify_vi(name) or "don-vi")
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and "*" not in h]
    for index, host in enumerate(dict.fromkeys([*hosts, "127.0.0.1", "localhost"])):
        UnitHost.objects.get_or_create(name=portal.units.host_name(host), defaults={"unit": unit, "is_main": index == 0})
    SiteSettings.objects.update(unit=unit)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_personal_data")]

    operations = [
        migrations.CreateModel(
            name="Unit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="Ví dụ: Kim Sơn.", max_length=120, verbose_name="Tên đơn vị")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("tinh", "Tỉnh"),
                            ("xa", "Xã"),
                            ("phuong", "Phường"),
                            ("dac-khu", "Đặc khu"),
                            ("huyen", "Huyện"),
                        ],
                        default="xa",
                        max_length=10,
                        verbose_name="Cấp đơn vị",
                    ),
                ),
                (
                    "code",
                    models.SlugField(
                        help_text="Chữ thường không dấu, dùng trong tên thư mục tệp, ví dụ kim-son.",
                        max_length=60,
                        unique=True,
                        verbose_name="Mã đơn vị",
                    ),
                ),
                (
                    "merged_into",
                    models.ForeignKey(
                        editable=False,
                        null=True,
                        blank=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="merged_units",
                        to="portal.unit",
                        verbose_name="Đã sáp nhập vào",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        limit_choices_to={"kind": "tinh"},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="portal.unit",
                        verbose_name="Thuộc tỉnh",
                    ),
                ),
            ],
            options={"verbose_name": "Đơn vị", "verbose_name_plural": "Đơn vị", "ordering": ("kind", "name")},
        ),
        migrations.CreateModel(
            name="UnitHost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        help_text="Không ghi http:// và cổng, ví dụ kimson.ninhbinh.gov.vn.",
                        max_length=253,
                        unique=True,
                        verbose_name="Tên miền",
                    ),
                ),
                (
                    "is_main",
                    models.BooleanField(
                        default=False, help_text="Dùng trong liên kết tới đơn vị.", verbose_name="Tên miền chính"
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="hosts",
                        to="portal.unit",
                        verbose_name="Đơn vị",
                    ),
                ),
            ],
            options={"verbose_name": "Tên miền", "verbose_name_plural": "Tên miền", "ordering": ("-is_main", "name")},
        ),
        migrations.AddField(
            model_name="sitesettings",
            name="unit",
            field=models.OneToOneField(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="portal.unit",
                verbose_name="Đơn vị",
            ),
        ),
        migrations.RunPython(first_unit, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="sitesettings",
            name="unit",
            field=models.OneToOneField(
                default=portal.units.owner_id,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="portal.unit",
                verbose_name="Đơn vị",
            ),
        ),
    ]
