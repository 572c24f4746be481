from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Tin tức"

    def ready(self):
        from portal.pagecache import register_scheduled

        from . import counting, queries

        counting.register()
        register_scheduled(queries.next_scheduled_at)
        register_scheduled(queries.next_commune_scheduled_at)  # a province's pages show its communes
