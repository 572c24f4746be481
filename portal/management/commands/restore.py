from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục bản sao lưu trong THƯ_MỤC (do lệnh backup tạo): kiểm tổng kiểm trước, từ chối cơ sở dữ liệu "
        "hoặc thư mục media đã có dữ liệu trừ khi có --replace, rồi kiểm lại số dòng và các tệp."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="THƯ_MỤC")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Xóa dữ liệu hiện có (các bảng, tệp media) và thay bằng bản sao lưu.",
        )

    def handle(self, *args, folder, replace, **options):
        try:
            restore(folder, replace=replace, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
