from django.core.management.base import BaseCommand

from stats.counters import flush_pending


class Command(BaseCommand):
    help = "Write the visits and views counted in Redis to the database now (before stopping Redis, or a backup)."

    def handle(self, *args, **options):
        counts = flush_pending()
        views = sum(n for name, n in counts.items() if name.startswith("views:"))
        visits = sum(n for name, n in counts.items() if name.startswith("day:"))
        self.stdout.write(f"Written: {visits} visits, {views} article views.")
