from django.core.management.base import BaseCommand, CommandError

from portal import units
from portal.merging import merge_units
from portal.models import Unit


class Command(BaseCommand):
    help = (
        "Sáp nhập các đơn vị CŨ vào đơn vị MỚI: chuyển tin bài, văn bản, thủ tục, góp ý, cộng dồn lượt "
        "truy cập; địa chỉ cũ chuyển hướng vĩnh viễn (301) sang địa chỉ mới."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", metavar="MÃ", help="Mã các đơn vị cũ, rồi mã đơn vị mới")

    def handle(self, *args, codes, **options):
        if len(codes) < 2:
            raise CommandError("Cần mã ít nhất một đơn vị cũ và mã đơn vị mới, ví dụ: merge_units kim-dong kim-son")
        found = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise CommandError(f"Không có đơn vị mã {', '.join(missing)}.")
        *olds, new = codes
        try:
            report = merge_units([found[code] for code in dict.fromkeys(olds)], found[new])
        except units.UnitError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
