from django.core.management.base import BaseCommand

from stats.counters import flush_pending


class Command(BaseCommand):
    help = "Ghi ngay vào cơ sở dữ liệu các lượt truy cập và lượt xem đang đếm trong Redis (trước khi dừng Redis hoặc sao lưu)."

    def handle(self, *args, **options):
        counts = flush_pending()
        views = sum(n for name, n in counts.items() if name.startswith("views:"))
        visits = sum(n for name, n in counts.items() if name.startswith("day:"))
        self.stdout.write(f"Đã ghi {visits} lượt truy cập, {views} lượt xem bài viết.")
