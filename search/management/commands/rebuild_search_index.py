from django.core.management.base import BaseCommand, CommandError

from search import registry


class Command(BaseCommand):
    help = "Rewrite the search index from the published rows of every registered model."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="Only these kinds (default: all), e.g. article")

    def handle(self, *args, kinds=(), **options):
        known = {index.kind for index in registry.indexes()}
        unknown = set(kinds) - known
        if unknown:
            raise CommandError(f"Unknown kind(s): {', '.join(sorted(unknown))}. Known: {', '.join(sorted(known))}.")
        for kind, count in registry.rebuild(kinds or None).items():
            self.stdout.write(f"{kind}: {count}")
