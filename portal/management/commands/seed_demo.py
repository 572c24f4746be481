from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo, units


class Command(BaseCommand):
    help = "Ghi dữ liệu mẫu (đơn vị, tin bài, người dùng, ...) cho bản chạy thử; chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        # Each app that owns demo data has a `demo` module with a `seed(log)` function, run for the
        # first unit (the reference portal's content), and may have `seed_unit(unit, log)`, run for
        # each other demo unit (a province and its communes, portal.demo). INSTALLED_APPS order:
        # portal first, it makes the users. Each logs what it wrote.
        written = []

        def log(line):
            written.append(line)
            self.stdout.write(line)

        with transaction.atomic():
            first, *others = demo.seed_units(log)
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            with transaction.atomic(), units.active(first):
                module.seed(log)
            for unit in others if hasattr(module, "seed_unit") else []:
                with transaction.atomic(), units.active(unit):
                    module.seed_unit(unit, log)
        if written:
            self.stdout.write(self.style.SUCCESS(f"Đã ghi dữ liệu mẫu ({len(written)} mục ở trên)."))
        else:
            self.stdout.write("Dữ liệu mẫu đã có từ trước: không thay đổi gì.")
