import calendar
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from portal import units
from portal.models import SiteSettings, Unit


def months_before(moment, months):
    """The same day and time `months` earlier, on the month's last day when that day does not exist."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


class Command(BaseCommand):
    help = (
        "Xoá dữ liệu cá nhân (họ tên, điện thoại, thư điện tử, địa chỉ, tệp đính kèm) của góp ý và hồ sơ "
        "đã giải quyết xong quá thời hạn lưu giữ trong Cấu hình trang; chạy lại không xoá gì thêm."
    )

    def handle(self, *args, **options):
        # Each unit keeps its own retention (its Cấu hình trang); each app that keeps citizens' data
        # has a `privacy` module with `erase_expired(before)`, run for one unit at a time.
        erasers = []
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.privacy"
            if find_spec(module_name) is not None:
                erase_expired = getattr(import_module(module_name), "erase_expired", None)
                if erase_expired is not None:
                    erasers.append(erase_expired)
        every = Unit.objects.order_by("pk")
        for unit in every:
            with units.active(unit):
                months = SiteSettings.load().personal_data_retention_months
                before = months_before(timezone.localtime(), months)
                prefix = f"{unit}: " if len(every) > 1 else ""
                for erase_expired in erasers:
                    with transaction.atomic():
                        label, count = erase_expired(before)
                    self.stdout.write(
                        f"{prefix}Đã xoá dữ liệu cá nhân của {count} {label} kết thúc trước {before:%d/%m/%Y}."
                    )
                self.stdout.write(self.style.SUCCESS(f"{prefix}Thời hạn lưu giữ: {months} tháng."))
