from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (PostgreSQL: pg_dump; SQLite: bản sao nhất quán), media và media riêng tư "
        "vào THƯ_MỤC (mới hoặc trống), kèm manifest.json có tổng kiểm SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="THƯ_MỤC")

    def handle(self, *args, folder, **options):
        try:
            backup(folder, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
