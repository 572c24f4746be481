from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http.request import validate_host

from portal import creating, units
from portal.models import Unit


class Command(BaseCommand):
    help = (
        "Tạo một đơn vị (tỉnh, xã, phường, đặc khu) với tên miền, cấu hình, chuyên mục mặc định, "
        "trang giới thiệu và câu hỏi bình chọn, sẵn sàng đăng tin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Tên đơn vị, ví dụ: Kim Đông")
        parser.add_argument("--kind", default="xa", choices=Unit.Kind.values, help="Cấp đơn vị (mặc định: xa)")
        parser.add_argument(
            "--host", action="append", required=True, help="Tên miền; ghi nhiều lần nếu có nhiều, tên đầu là tên chính"
        )
        parser.add_argument("--parent", help="Mã tỉnh chứa đơn vị, ví dụ ninh-binh")
        parser.add_argument("--code", help="Mã đơn vị (mặc định: tên không dấu, ví dụ kim-dong)")

    def handle(self, *args, name, kind, host, parent, code, **options):
        try:
            unit = creating.create_unit(name, kind, host, parent=parent, code=code)
        except units.UnitError as error:
            raise CommandError(str(error)) from None
        hosts = list(unit.hosts.order_by("-is_main", "pk").values_list("name", flat=True))
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {unit} (mã {unit.code}), tên miền: {', '.join(hosts)}."))
        for name in hosts:
            if not validate_host(name, settings.ALLOWED_HOSTS):
                self.stdout.write(
                    self.style.WARNING(f"Lưu ý: {name} chưa có trong ALLOWED_HOSTS; thêm vào để trang trả lời.")
                )
