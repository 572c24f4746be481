from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Ghi dữ liệu mẫu (tin bài, người dùng, ...) cho bản chạy thử; chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        # Each app that owns demo data has a `demo` module with a `seed(log)` function,
        # run in INSTALLED_APPS order (portal first: it makes the users). Each logs what it wrote.
        written = []

        def log(line):
            written.append(line)
            self.stdout.write(line)

        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).seed(log)
        if written:
            self.stdout.write(self.style.SUCCESS(f"Đã ghi dữ liệu mẫu ({len(written)} mục ở trên)."))
        else:
            self.stdout.write("Dữ liệu mẫu đã có từ trước: không thay đổi gì.")
