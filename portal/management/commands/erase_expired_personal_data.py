import calendar
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from portal.models import SiteSettings


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
        months = SiteSettings.load().personal_data_retention_months
        before = months_before(timezone.localtime(), months)
        # Each app that keeps citizens' data has a `privacy` module with `erase_expired(before)`.
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.privacy"
            if find_spec(module_name) is None:
                continue
            erase_expired = getattr(import_module(module_name), "erase_expired", None)
            if erase_expired is None:
                continue
            with transaction.atomic():
                label, count = erase_expired(before)
            self.stdout.write(f"Đã xoá dữ liệu cá nhân của {count} {label} kết thúc trước {before:%d/%m/%Y}.")
        self.stdout.write(self.style.SUCCESS(f"Thời hạn lưu giữ: {months} tháng."))
