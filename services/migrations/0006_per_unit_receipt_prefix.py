import services.models
from django.db import migrations, models


def own_prefixes(apps, schema_editor):
    """Every unit had the first unit's prefix (the field's default): the first unit keeps its own,
    each later unit whose prefix an earlier one has gets one from its code."""
    ServiceSettings = apps.get_model("services", "ServiceSettings")
    rows = list(ServiceSettings.objects.select_related("unit").order_by("unit_id"))
    taken = {row.receipt_prefix for row in rows}
    seen = set()
    for row in rows:
        if row.receipt_prefix in seen:
            row.receipt_prefix = services.models.derived_receipt_prefix(row.unit.code, taken)
            taken.add(row.receipt_prefix)
            row.save(update_fields=["receipt_prefix"])
        seen.add(row.receipt_prefix)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_staff_in_units"),
        ("services", "0005_units"),
    ]

    operations = [
        migrations.AlterField(
            model_name="servicesettings",
            name="receipt_prefix",
            field=models.CharField(
                default="000.00.25.H42",
                help_text="Phần đầu mã biên nhận hồ sơ của đơn vị, nên ghi mã định danh điện tử của đơn vị, "
                "ví dụ 000.00.25.H42; mỗi đơn vị một mã. Đổi mã không đổi mã biên nhận của hồ sơ đã nhận.",
                max_length=20,
                validators=[services.models.validate_receipt_prefix],
                verbose_name="Mã đơn vị trên giấy biên nhận",
            ),
        ),
        migrations.RunPython(own_prefixes, migrations.RunPython.noop),
    ]
